using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Spbe.Security.Soc.Store;

namespace Spbe.Security.Soc.Ingest;

/// <summary>Hostile and broken input: each is handled, flagged or refused without crashing and without blocking other senders.</summary>
public sealed class BadInputTests
{
    private static async Task<TcpClient> ConnectAsync(IPEndPoint endpoint, IPAddress? from = null)
    {
        var client = from is null ? new TcpClient() : new TcpClient(new IPEndPoint(from, 0));
        await client.ConnectAsync(endpoint);
        return client;
    }

    private static async Task SendAsync(IPEndPoint endpoint, byte[] bytes, IPAddress? from = null)
    {
        using var client = await ConnectAsync(endpoint, from);
        await client.GetStream().WriteAsync(bytes);
    }

    [Fact]
    public async Task Tcp_LineOfTwoMegabytes_IsTruncatedFlaggedAndTheNextLineIsWhole()
    {
        await using var server = await SocTestServer.StartAsync(configure: o => o.MaxMessageBytes = 1024 * 1024);
        var huge = "<13>Nov 24 10:00:00 host app: raksasa " + new string('A', 2 * 1024 * 1024);
        await SendAsync(server.Endpoint("tcp"), Encoding.ASCII.GetBytes(huge + "\n<13>Nov 24 10:00:01 host app: sesudahnya\n"));
        Assert.Equal(2, await server.WaitForCountAsync(2));
        var events = await server.AllAsync();
        Assert.Equal(1024 * 1024, events[0].Original.Length);
        Assert.Equal(IngestFlags.Truncated, events[0].Flags);
        Assert.Equal(("sesudahnya", IngestFlags.None), (events[1].Syslog.Message, events[1].Flags));
    }

    [Fact]
    public async Task Tcp_NulBytesAndInvalidUtf8_AreFlaggedAndTheExactBytesKept()
    {
        await using var server = await SocTestServer.StartAsync();
        byte[] nul = [.. "<13>Nov 24 10:00:00 host app: a"u8, 0, .. "b"u8];
        byte[] latin1 = [.. "<13>Nov 24 10:00:00 host app: caf"u8, 0xE9, 0xFF];
        await SendAsync(server.Endpoint("tcp"), [.. nul, (byte)'\n', .. latin1, (byte)'\n']);
        Assert.Equal(2, await server.WaitForCountAsync(2));
        var events = await server.AllAsync();
        Assert.Equal(IngestFlags.NulBytes, events[0].Flags);
        Assert.EndsWith("a\u2400b", events[0].Original, StringComparison.Ordinal);
        Assert.Equal(nul, events[0].OriginalBytes);
        Assert.Equal(IngestFlags.InvalidUtf8, events[1].Flags);
        Assert.Equal(latin1, events[1].OriginalBytes);
    }

    [Fact]
    public async Task Tcp_HalfOpenAndSilentConnections_DoNotBlockOtherSenders()
    {
        await using var server = await SocTestServer.StartAsync(configure: o => o.IdleTimeoutSeconds = 2);
        using var silent = await ConnectAsync(server.Endpoint("tcp"));
        using var half = await ConnectAsync(server.Endpoint("tcp"));
        await half.GetStream().WriteAsync("<13>Nov 24 10:00:00 host app: never finis"u8.ToArray());
        using var counted = await ConnectAsync(server.Endpoint("tcp"));
        await counted.GetStream().WriteAsync("500 <13>only the start of a counted frame"u8.ToArray());

        var lines = string.Concat(Enumerable.Range(0, 50).Select(i => $"<13>Nov 24 10:00:00 host app: lancar {i}\n"));
        await SendAsync(server.Endpoint("tcp"), Encoding.ASCII.GetBytes(lines));
        Assert.Equal(50, await server.WaitForCountAsync(50, new EventQuery { Text = "lancar" }, seconds: 10));

        // Note: the idle timeout ends the silent connections; the server closes them (a read returns 0).
        var buffer = new byte[16];
        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        Assert.Equal(0, await silent.GetStream().ReadAsync(buffer, wait.Token));
        Assert.Equal(0, await half.GetStream().ReadAsync(buffer, wait.Token));
    }

    [Fact]
    public async Task Tcp_ConnectionFloodFromOneSource_IsCappedCountedAndOthersStillGetIn()
    {
        await using var server = await SocTestServer.StartAsync(configure: o => o.MaxConnectionsPerSource = 4);
        var flood = new List<TcpClient>();
        for (var i = 0; i < 10; i++)
        {
            flood.Add(await ConnectAsync(server.Endpoint("tcp")));
        }

        // Note: the refused connections are closed by the server at once.
        var closed = 0;
        foreach (var client in flood)
        {
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            try
            {
                closed += await client.GetStream().ReadAsync(new byte[1], wait.Token) == 0 ? 1 : 0;
            }
            catch (OperationCanceledException)
            {
                // still open: one of the four admitted
            }
            catch (IOException)
            {
                closed++;
            }
        }

        Assert.Equal(6, closed);
        Assert.True(server.Metrics.DroppedTotal >= 6);

        // Note: another source is not affected by the flood.
        await SendAsync(server.Endpoint("tcp"), "<13>Nov 24 10:00:00 other app: dari sumber lain\n"u8.ToArray(), IPAddress.Parse("127.0.0.2"));
        Assert.Equal(1, await server.WaitForCountAsync(1, new EventQuery { Text = "sumber lain" }, seconds: 10));
        var stranger = (await server.AllAsync(new EventQuery { Text = "sumber lain" }))[0];
        Assert.Equal((null, "unknown", IngestFlags.UnknownSource), (stranger.Opd, stranger.Source, stranger.Flags));
        foreach (var client in flood)
        {
            client.Dispose();
        }
    }

    [Fact]
    public async Task Udp_WhenThePipelineIsFull_DropsAreCountedAndEverythingElseIsStored()
    {
        await using var server = await SocTestServer.StartAsync(configure: o => o.IngestQueueCapacity = 1);
        using var udp = new UdpClient();
        for (var i = 0; i < 3000; i++)
        {
            await udp.SendAsync(Encoding.ASCII.GetBytes($"<13>Nov 24 10:00:00 host app: datagram {i}"), server.Endpoint("udp"));
        }

        // Note: until the listener has read every datagram the kernel kept; then everything queued is in the store.
        await SocTestServer.WaitUntilAsync(() => server.Metrics.ReceivedTotal >= 3000);
        await server.Pipeline.DrainAsync();
        var stored = await server.Store.CountAsync(new EventQuery());
        Assert.True(stored > 0);
        Assert.Equal(server.Metrics.ReceivedTotal, stored + server.Metrics.DroppedTotal);
    }

    [Fact]
    public async Task Tls_ClientCertificateFromOurCa_NamesTheSource_AndAForeignOneIsRefused()
    {
        await using var server = await SocTestServer.StartAsync();
        using var trusted = server.Tls.Issue("CN=fw01.dinkes.go.id", serverAuth: false);
        await SendTlsAsync(server, trusted, "<13>Nov 24 10:00:00 fw01 kernel: lewat sertifikat\n");
        Assert.Equal(1, await server.WaitForCountAsync(1, seconds: 10));
        var e = (await server.AllAsync())[0];
        Assert.Equal(("DINKES", "fw01-uji", IngestTransport.Tls), (e.Opd, e.Source, e.Transport));

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=fw01.dinkes.go.id", key, HashAlgorithmName.SHA256);
        using var foreign = request.CreateSelfSigned(TimeProvider.System.GetUtcNow().AddDays(-1), TimeProvider.System.GetUtcNow().AddDays(1));
        await Assert.ThrowsAnyAsync<Exception>(() => SendTlsAsync(server, foreign, "<13>Nov 24 10:00:00 fw01 kernel: palsu\n"));
        await SocTestServer.WaitUntilAsync(() => server.Metrics.DroppedTotal >= 1);
        await server.Pipeline.DrainAsync();
        Assert.Equal(1, await server.Store.CountAsync(new EventQuery()));
    }

    private static async Task SendTlsAsync(SocTestServer server, X509Certificate2 client, string text)
    {
        using var tcp = await ConnectAsync(server.Endpoint("tls"));
        await using var tls = new SslStream(tcp.GetStream(), false, (_, certificate, _, _) => certificate is not null);
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "127.0.0.1",
            ClientCertificates = [client],
            EnabledSslProtocols = SslProtocols.Tls12,
        });
        await tls.WriteAsync(Encoding.UTF8.GetBytes(text));
        await tls.FlushAsync();

        // Note: a refused certificate ends the session: the server closes, which a read sees.
        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        try
        {
            if (await tls.ReadAsync(new byte[1], wait.Token) == 0)
            {
                throw new IOException("closed by the server");
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
