using System.Text;
using System.Text.Json;
using Spbe.Security.Soc.Ingest;
using Spbe.Security.Soc.Ruleset;
using Spbe.Security.Soc.Store;
using Spbe.Security.Testing;

namespace Spbe.Security.Soc.Alerts;

/// <summary>The pipeline runs what it stores through policies/soc and stores the alerts with their events.</summary>
public sealed class LiveDetectionTests
{
    private static AlertDetector Detector() =>
        new(SocRuleset.Load([Path.Combine(RepositoryPaths.Policies, "soc")], TimeZoneInfo.Utc), TimeZoneInfo.Utc);

    private static IngestRecord Syslog(string line, DateTimeOffset at) =>
        new(at.ToUnixTimeMilliseconds(), IngestTransport.Tcp, IngestFlags.None, "127.0.0.1", new SourceIdentity("host-uji", "DISKOMINFO"), Encoding.UTF8.GetBytes(line));

    [Fact]
    public async Task SshBruteForce_IsStoredAsAnAlertWithItsEvent_ThenTheSuccessFromThatAddress()
    {
        await using var server = await SocTestServer.StartAsync(detector: Detector());
        var start = TimeProvider.System.GetUtcNow();
        var records = Enumerable.Range(0, 8)
            .Select(i => Syslog($"<38>Nov 24 08:00:{i:00} web01 sshd[4{i}1]: Failed password for root from 203.0.113.9 port 5{i}022 ssh2", start.AddSeconds(i)))
            .Append(Syslog("<38>Nov 24 08:00:30 web01 sshd[499]: Accepted password for root from 203.0.113.9 port 50999 ssh2", start.AddSeconds(30)))
            .Append(Syslog("<13>Nov 24 08:00:31 web01 app: kejadian biasa", start.AddSeconds(31)))
            .ToList();
        await server.Pipeline.SubmitAsync(records, durable: true);
        await server.WaitForCountAsync(records.Count);

        var alerts = await server.AllAsync(new EventQuery { MinLevel = 3 });
        Assert.Equal(9, alerts.Count);
        Assert.All(alerts.Take(7), a => Assert.Equal(100121, a.Alert!.RuleId));
        var bruteForce = alerts[7].Alert!;
        Assert.Equal((100122, 10), (bruteForce.RuleId, bruteForce.Level));
        Assert.Contains("203.0.113.9", bruteForce.Description, StringComparison.Ordinal);
        Assert.Contains("T1110", bruteForce.Mitre);
        Assert.Contains(new KeyValuePair<string, string>("srcip", "203.0.113.9"), bruteForce.Fields);
        Assert.Equal("spbe-sshd", bruteForce.Decoder);
        Assert.Equal(100130, alerts[8].Alert!.RuleId);

        // Note: the event without an alert is stored and found, with no rule.
        Assert.Equal(10, await server.Store.CountAsync(new EventQuery()));
        var quiet = (await server.AllAsync(new EventQuery { Text = "kejadian" })).Single();
        Assert.Null(quiet.Alert);
        Assert.Equal(1, await server.Store.CountAsync(new EventQuery { RuleId = 100122 }));
        Assert.Equal(2, await server.Store.CountAsync(new EventQuery { MinLevel = 10 }));
        Assert.Contains(server.Metrics.Counters(), c => c.Name == "alerts" && c.Label == "10" && c.Value == 1);
    }

    [Fact]
    public async Task HostSecurityEvents_AreDetectedToo()
    {
        await using var server = await SocTestServer.StartAsync(detector: Detector());
        var start = TimeProvider.System.GetUtcNow();
        var records = Enumerable.Range(0, 6).Select(i => new IngestRecord(
            start.AddSeconds(i).ToUnixTimeMilliseconds(), IngestTransport.Internal, IngestFlags.None, "203.0.113.99", new SourceIdentity("spbe-security", "DINKES"),
            Encoding.UTF8.GetBytes($$$"""{"@timestamp":"2026-11-24T03:00:0{{{i}}}Z","event":{"kind":"event","module":"spbe-identity","action":"sso-login","outcome":"failure"},"user":{"name":"199001012020121001"},"source":{"ip":"203.0.113.99"},"organization":{"id":"DINKES"}}""")))
            .ToList();
        await server.Pipeline.SubmitAsync(records, durable: true);
        await server.WaitForCountAsync(records.Count);

        var alerts = await server.AllAsync(new EventQuery { MinLevel = 3 });
        Assert.Equal(6, alerts.Count);
        Assert.Equal((100102, "DINKES"), (alerts[^1].Alert!.RuleId, alerts[^1].Opd));
        Assert.Equal("spbe-security", alerts[^1].Alert!.Decoder);
    }

    [Fact]
    public async Task AlertJson_HasTheRuleDecoderAndData_Escaped()
    {
        await using var server = await SocTestServer.StartAsync(detector: Detector());
        var start = TimeProvider.System.GetUtcNow();
        var user = "root\"<script>";
        await server.Pipeline.SubmitAsync([Syslog($"<38>Nov 24 08:00:00 web01 sshd[41]: Invalid user {user} from 198.51.100.7 port 4022", start)], durable: true);
        await server.WaitForCountAsync(1, new EventQuery { MinLevel = 3 });

        var page = await server.Store.QueryAsync(new EventQuery { MinLevel = 3 });
        using var buffer = new MemoryStream();
        await using (var writer = new Utf8JsonWriter(buffer))
        {
            SocEventJson.WritePage(writer, page);
        }

        var json = Encoding.UTF8.GetString(buffer.ToArray());
        Assert.DoesNotContain("<script>", json, StringComparison.Ordinal);
        using var document = JsonDocument.Parse(json);
        var e = document.RootElement.GetProperty("events")[0];
        Assert.Equal("100121", e.GetProperty("rule").GetProperty("id").GetString());
        Assert.Equal(5, e.GetProperty("rule").GetProperty("level").GetInt32());
        Assert.Equal("spbe-sshd", e.GetProperty("decoder").GetProperty("name").GetString());
        Assert.Equal(user, e.GetProperty("data").GetProperty("srcuser").GetString());
        Assert.Equal("198.51.100.7", e.GetProperty("data").GetProperty("srcip").GetString());
    }

    [Fact]
    public void LineOf_WritesTheHeaderWazuhExpects()
    {
        var detector = Detector();
        var e = new SocEvent
        {
            Timestamp = new DateTimeOffset(2026, 11, 4, 1, 2, 3, TimeSpan.Zero),
            Peer = "10.0.0.5",
            Syslog = new Parsing.SyslogMessage { Format = Parsing.SyslogFormat.Rfc5424, AppName = "sshd", ProcId = "77", Message = "Failed password for x from 10.1.1.1 port 1 ssh2" },
        };
        Assert.Equal("Nov  4 01:02:03 10.0.0.5 sshd[77]: Failed password for x from 10.1.1.1 port 1 ssh2", detector.LineOf(e));
        var json = new SocEvent { Original = "{\"a\":1}", Syslog = new Parsing.SyslogMessage { Message = "{\"a\":1}" } };
        Assert.Equal("{\"a\":1}", detector.LineOf(json));
        var own = new SocEvent { Transport = IngestTransport.Internal, Source = "spbe-security", Timestamp = e.Timestamp, Original = "{\"b\":2}" };
        Assert.Equal("Nov  4 01:02:03 spbe spbe-security: {\"b\":2}", detector.LineOf(own));
    }
}
