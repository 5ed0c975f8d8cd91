using System.Globalization;
using Spbe.Security.Soc.Parsing;
using Spbe.Security.Soc.Store;
using Spbe.Security.Testing;

namespace Spbe.Security.Soc.Ingest;

/// <summary>Real syslog senders (util-linux logger, Debian's rsyslog) against the real listeners: every line arrives,
/// once, parsed and attributed to its source.</summary>
public sealed class RealSenderTests
{
    private static List<string> Lines(string tag, int count) =>
        [.. Enumerable.Range(1, count).Select(i => $"{tag} baris {i.ToString("D5", CultureInfo.InvariantCulture)} Failed password for root from 10.1.{i % 250}.{i % 200} port {20000 + i} ssh2")];

    private static async Task AssertEachOnceAsync(SocTestServer server, List<string> lines, string tag)
    {
        var events = await server.AllAsync(new EventQuery { Text = tag });
        var counts = events.GroupBy(e => lines.FirstOrDefault(l => e.Original.EndsWith(l, StringComparison.Ordinal)) ?? "?").ToDictionary(g => g.Key, g => g.Count());
        Assert.False(counts.ContainsKey("?"), "an event that was not sent");
        Assert.Equal(lines.Count, counts.Count);
        Assert.All(counts, c => Assert.Equal(1, c.Value));
        Assert.All(events, e => Assert.Equal(("DISKOMINFO", "host-uji"), (e.Opd, e.Source)));
    }

    [ToolFact("logger", "bsdutils")]
    public async Task Logger_Rfc3164AndRfc5424OverUdpAndTcp_EveryLineArrivesParsed()
    {
        await using var server = await SocTestServer.StartAsync();
        using var temp = new TempDirectory();
        var cases = new (string Tag, string[] Arguments, SyslogFormat Format)[]
        {
            ("udp3164", ["-d", "--rfc3164"], SyslogFormat.Rfc3164),
            ("udp5424", ["-d", "--rfc5424"], SyslogFormat.Rfc5424),
            ("tcp3164", ["-T", "--rfc3164"], SyslogFormat.Rfc3164),
            ("tcp5424", ["-T", "--rfc5424", "--octet-count"], SyslogFormat.Rfc5424),
        };
        foreach (var (tag, arguments, format) in cases)
        {
            var lines = Lines(tag, 300);
            var file = temp.Combine(tag + ".log");
            File.WriteAllLines(file, lines);
            var port = server.Endpoint(arguments[0] == "-d" ? "udp" : "tcp").Port.ToString(CultureInfo.InvariantCulture);
            var run = await ExternalTool.RunAsync("logger", [.. arguments, "-n", "127.0.0.1", "-P", port, "-t", "sshd", "-f", file]);
            Assert.True(run.ExitCode == 0, run.ToString());
            Assert.Equal(300, await server.WaitForCountAsync(300, new EventQuery { Text = tag }));
            await AssertEachOnceAsync(server, lines, tag);
            var sample = (await server.AllAsync(new EventQuery { Text = tag }))[0];
            Assert.Equal((format, "sshd"), (sample.Syslog.Format, sample.Syslog.AppName));
            Assert.NotNull(sample.Syslog.Timestamp);
        }
    }

    [ToolFact("rsyslogd", "rsyslog")]
    public async Task Rsyslog_OmfwdTcpOctetCounted_ForwardsEveryLine()
    {
        await using var server = await SocTestServer.StartAsync();
        using var temp = new TempDirectory();
        await using var rsyslog = await Rsyslog.StartAsync(temp.Combine("rs"), $"""
            action(type="omfwd" target="127.0.0.1" port="{server.Endpoint("tcp").Port}" protocol="tcp" TCP_Framing="octet-counted"
                   template="RSYSLOG_SyslogProtocol23Format" action.resumeRetryCount="-1" action.resumeInterval="1")
            """);
        var lines = Lines("omfwd", 2000);
        rsyslog.Append(lines);
        Assert.Equal(2000, await server.WaitForCountAsync(2000, new EventQuery { Text = "omfwd" }));
        await AssertEachOnceAsync(server, lines, "omfwd");
        var sample = (await server.AllAsync(new EventQuery { Text = "omfwd" }))[0];
        Assert.Equal((SyslogFormat.Rfc5424, "app", 16, 6), (sample.Syslog.Format, sample.Syslog.AppName, sample.Syslog.Facility, sample.Syslog.Severity));
    }

    [ToolFact("rsyslogd", "rsyslog-relp")]
    public async Task Rsyslog_Omrelp_ForwardsEveryLineAcknowledgedAfterTheWriteAheadLog()
    {
        await using var server = await SocTestServer.StartAsync();
        using var temp = new TempDirectory();
        await using var rsyslog = await Rsyslog.StartAsync(temp.Combine("rs"), $"""
            action(type="omrelp" target="127.0.0.1" port="{server.Endpoint("relp").Port}" queue.type="LinkedList"
                   action.resumeRetryCount="-1" action.resumeInterval="1")
            """, modules: "module(load=\"omrelp\")");
        var lines = Lines("omrelp", 2000);
        rsyslog.Append(lines);
        Assert.Equal(2000, await server.WaitForCountAsync(2000, new EventQuery { Text = "omrelp" }));
        await AssertEachOnceAsync(server, lines, "omrelp");
        Assert.True(server.Pipeline.AppendedThrough >= 2000);
        var events = await server.AllAsync(new EventQuery { Text = "omrelp" });
        Assert.All(events, e => Assert.Equal(IngestTransport.Relp, e.Transport));
        Assert.DoesNotContain(events, e => (e.Flags & IngestFlags.Duplicate) != 0);
    }

    [ToolFact("rsyslogd", "rsyslog-gnutls")]
    public async Task Rsyslog_OverTls_ForwardsEveryLineToTheTlsListener()
    {
        await using var server = await SocTestServer.StartAsync();
        using var temp = new TempDirectory();
        var caFile = temp.Combine("ca.pem");
        File.WriteAllText(caFile, server.Tls.CaPem);
        await using var rsyslog = await Rsyslog.StartAsync(temp.Combine("rs"), $"""
            action(type="omfwd" target="127.0.0.1" port="{server.Endpoint("tls").Port}" protocol="tcp" TCP_Framing="octet-counted"
                   StreamDriver="gtls" StreamDriverMode="1" StreamDriverAuthMode="x509/certvalid"
                   template="RSYSLOG_SyslogProtocol23Format" action.resumeRetryCount="-1" action.resumeInterval="1")
            """, globals: $"DefaultNetstreamDriverCAFile=\"{caFile}\"");
        var lines = Lines("overtls", 1000);
        rsyslog.Append(lines);
        Assert.Equal(1000, await server.WaitForCountAsync(1000, new EventQuery { Text = "overtls" }));
        await AssertEachOnceAsync(server, lines, "overtls");
        Assert.All(await server.AllAsync(new EventQuery { Text = "overtls" }), e => Assert.Equal(IngestTransport.Tls, e.Transport));
    }
}
