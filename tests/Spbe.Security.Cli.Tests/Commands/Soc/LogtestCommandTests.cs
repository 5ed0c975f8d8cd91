using System.Text.Json;
using Spbe.Security.Testing;

namespace Spbe.Security.Cli.Commands.Soc;

/// <summary><c>spbe logtest</c> and <c>spbe soc replay</c> over Wazuh's stock ruleset.</summary>
public sealed class LogtestCommandTests : IDisposable
{
    private static readonly string Wazuh = Path.Combine(RepositoryPaths.Shared, "data", "wazuh-4.14.7");
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private const string Failed = "Dec 10 06:55:46 LabSZ sshd[24200]: Failed password for root from 173.234.31.186 port 38926 ssh2";

    [SharedDataFact]
    public async Task Logtest_json_gives_one_object_per_line_and_correlates_within_the_session()
    {
        var lines = string.Join('\n', Enumerable.Repeat(Failed, 8));
        var run = await CliRun.RunWithInputAsync(lines, "logtest", "--json", "--ruleset", Wazuh);
        Assert.Equal(0, run.ExitCode);
        var results = run.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(8, results.Count);
        Assert.Equal("sshd", results[0].GetProperty("decoder").GetProperty("name").GetString());
        Assert.Equal("173.234.31.186", results[0].GetProperty("data").GetProperty("srcip").GetString());
        Assert.Equal("5760", results[0].GetProperty("rule").GetProperty("id").GetString());
        // Note: the eighth failure from one address within the window is a brute force (rule 5763, frequency 8).
        Assert.Equal("5763", results[7].GetProperty("rule").GetProperty("id").GetString());
        Assert.Equal(10, results[7].GetProperty("rule").GetProperty("level").GetInt32());
    }

    [SharedDataFact]
    public async Task Logtest_sessions_keep_correlation_apart_and_report_bad_lines()
    {
        var lines = string.Join('\n', Enumerable.Range(0, 8).Select(i => JsonSerializer.Serialize(new { session = i < 7 ? "a" : "b", log = Failed })).Append("not json"));
        var run = await CliRun.RunWithInputAsync(lines, "logtest", "--json", "--sessions", "--ruleset", Wazuh);
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("SOC-0502", run.Error, StringComparison.Ordinal);
        var last = JsonDocument.Parse(run.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1]).RootElement;
        Assert.Equal("b", last.GetProperty("session").GetString());
        Assert.Equal("5760", last.GetProperty("rule").GetProperty("id").GetString());
    }

    [SharedDataFact]
    public async Task Logtest_text_shows_the_phases_and_escapes_control_characters()
    {
        var run = await CliRun.RunWithInputAsync("Dec 10 06:55:46 LabSZ sshd[24200]: Invalid user \u001b[31mx from 10.0.0.1", "logtest", "--ruleset", Wazuh);
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("**Phase 2: Completed decoding.", run.Out, StringComparison.Ordinal);
        Assert.Contains("\\x1B[31mx", run.Out, StringComparison.Ordinal);
        Assert.DoesNotContain('\u001b', run.Out);
    }

    [SharedDataFact]
    public async Task Replay_stats_counts_lines_and_alerts_by_rule()
    {
        var file = _temp.Combine("ssh.log");
        await File.WriteAllLinesAsync(file, Enumerable.Repeat(Failed, 16));
        var run = await CliRun.RunAsync("soc", "replay", file, "--ruleset", Wazuh, "--stats");
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("16 lines in", run.Out, StringComparison.Ordinal);
        // Note: 5763 fires on the 8th and the 16th failure, but the second time falls in its ignore="60" window: no alert.
        Assert.Matches(@"\s14\s+rule 5760 ", run.Out);
        Assert.Matches(@"\s1\s+rule 5763 ", run.Out);
    }

    [Fact]
    public async Task Logtest_missing_ruleset_directory_fails_with_a_code()
    {
        var run = await CliRun.RunWithInputAsync("x", "logtest", "--ruleset", _temp.Combine("nowhere"));
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("SOC-0503", run.Error, StringComparison.Ordinal);
    }
}
