using System.Net;
using System.Net.Sockets;
using System.Text;
using Spbe.Security.Soc.Store;

namespace Spbe.Security.Soc.Ingest;

/// <summary>The RELP listener with a hand-written client: answers, resends after a lost connection, broken frames.</summary>
public sealed class RelpTests
{
    private static async Task<(TcpClient Client, NetworkStream Stream)> OpenAsync(IPEndPoint endpoint)
    {
        var client = new TcpClient();
        await client.ConnectAsync(endpoint);
        var stream = client.GetStream();
        await stream.WriteAsync("1 open 30 relp_version=0\ncommands=syslog\n"u8.ToArray());
        var answer = await ReadAsync(stream, "\n");
        Assert.StartsWith("1 rsp ", answer, StringComparison.Ordinal);
        Assert.Contains("200 OK", answer, StringComparison.Ordinal);
        return (client, stream);
    }

    private static async Task<string> ReadAsync(NetworkStream stream, string until, int count = 1)
    {
        var text = new StringBuilder();
        var buffer = new byte[4096];
        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (CountOf(text.ToString(), until) < count)
        {
            var read = await stream.ReadAsync(buffer, wait.Token);
            if (read == 0)
            {
                break;
            }

            text.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }

        return text.ToString();
    }

    private static int CountOf(string text, string what) => (text.Length - text.Replace(what, "", StringComparison.Ordinal).Length) / what.Length;

    private static byte[] Syslog(int transaction, string message) =>
        Encoding.UTF8.GetBytes($"{transaction} syslog {Encoding.UTF8.GetByteCount(message)} {message}\n");

    [Fact]
    public async Task Syslog_ResentAfterAConnectionWasLost_IsStoredMarkedDuplicate()
    {
        await using var server = await SocTestServer.StartAsync();
        var messages = Enumerable.Range(1, 3).Select(i => $"<13>Nov 24 10:00:0{i} host app: kirim ulang {i}").ToList();
        var (first, stream) = await OpenAsync(server.Endpoint("relp"));
        await stream.WriteAsync(messages.SelectMany((m, i) => Syslog(i + 2, m)).ToArray());
        var acks = await ReadAsync(stream, "200 OK", 3);
        Assert.Equal(3, CountOf(acks, "200 OK"));

        // Note: as if the answers were lost: the sender reconnects and sends the same three again.
        first.Dispose();
        var (second, again) = await OpenAsync(server.Endpoint("relp"));
        await again.WriteAsync(messages.SelectMany((m, i) => Syslog(i + 2, m)).Concat(Syslog(5, "<13>Nov 24 10:00:09 host app: kirim ulang baru")).ToArray());
        Assert.Equal(4, CountOf(await ReadAsync(again, "200 OK", 4), "200 OK"));
        await again.WriteAsync("6 close 0\n"u8.ToArray());
        var closing = await ReadAsync(again, "serverclose");
        Assert.Contains("6 rsp 0\n", closing, StringComparison.Ordinal);
        second.Dispose();

        var events = await server.AllAsync(new EventQuery { Text = "kirim ulang" });
        Assert.Equal(7, events.Count);
        Assert.Equal(3, events.Count(e => (e.Flags & IngestFlags.Duplicate) != 0));
        Assert.All(events.GroupBy(e => e.Original), g => Assert.Equal(1, g.Count(e => (e.Flags & IngestFlags.Duplicate) == 0)));
    }

    [Theory]
    [InlineData("garbage that is not relp\n")]
    [InlineData("2 syslog 3 abcdef\n")]
    [InlineData("2 syslog 99999999999 x\n")]
    public async Task BrokenFrame_EndsTheSessionAndKeepsWhatWasAcknowledged(string broken)
    {
        await using var server = await SocTestServer.StartAsync();
        var (client, stream) = await OpenAsync(server.Endpoint("relp"));
        using (client)
        {
            await stream.WriteAsync(Syslog(2, "<13>Nov 24 10:00:00 host app: sebelum rusak"));
            Assert.Contains("2 rsp 6 200 OK", await ReadAsync(stream, "200 OK"), StringComparison.Ordinal);
            await stream.WriteAsync(Encoding.ASCII.GetBytes(broken));
            var rest = await ReadAsync(stream, "serverclose");
            Assert.Contains("serverclose", rest, StringComparison.Ordinal);
        }

        Assert.Equal(1, await server.WaitForCountAsync(1, seconds: 5));
        var (other, _) = await OpenAsync(server.Endpoint("relp"));
        other.Dispose();
    }

    [Fact]
    public async Task Syslog_BeforeOpen_IsRefusedNotStored()
    {
        await using var server = await SocTestServer.StartAsync();
        using var client = new TcpClient();
        await client.ConnectAsync(server.Endpoint("relp"));
        var stream = client.GetStream();
        await stream.WriteAsync(Syslog(1, "<13>Nov 24 10:00:00 host app: tanpa open"));
        Assert.Contains("1 rsp", await ReadAsync(stream, "\n"), StringComparison.Ordinal);
        await server.Pipeline.DrainAsync();
        Assert.Equal(0, await server.Store.CountAsync(new EventQuery()));
    }
}
