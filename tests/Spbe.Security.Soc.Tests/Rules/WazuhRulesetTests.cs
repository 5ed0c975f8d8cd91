using System.Globalization;
using System.Text.Json;
using Spbe.Security.Soc.Correlation;
using Spbe.Security.Soc.Ruleset;
using Spbe.Security.Testing;
using Xunit.Abstractions;

namespace Spbe.Security.Soc.Rules;

/// <summary>
/// Wazuh's own ruleset tests (../shared/data/wazuh-4.14.7/tests/*.ini) against the stock decoders, lists and rules plus
/// its testing ruleset, judged as Wazuh's runner judges them. The pass rate per file may not fall below the committed
/// baseline (WazuhTestsBaseline.json), and sshd, pam, sudo and su must pass completely.
/// </summary>
public sealed class WazuhRulesetTests(ITestOutputHelper output)
{
    private static readonly string Root = Path.Combine(RepositoryPaths.Shared, "data", "wazuh-4.14.7");

    private static readonly Lazy<SocRuleset> Ruleset = new(() => SocRuleset.Load([Root, Path.Combine(Root, "testing-ruleset")], TimeZoneInfo.Utc));

    [SharedDataFact]
    public void StockRuleset_Loads_ReportingWhatItCannot()
    {
        var ruleset = Ruleset.Value;
        foreach (var problem in ruleset.Problems)
        {
            output.WriteLine(problem.ToString());
        }

        Assert.True(ruleset.Rules.Count > 4000, $"{ruleset.Rules.Count} rules");
        // Note: Wazuh's testing ruleset defines rules 999205-999272 in two files (the first stays) and names one list
        // it does not ship and one if_sid that is not a list of ids; the four plugin decoders other than JSON's are
        // reported as not implemented; nothing else may fail to load.
        var plugins = ruleset.Problems.Where(p => p.Message.Contains("is not implemented", StringComparison.Ordinal)).Select(p => p.Message.Split(' ')[3]).Order();
        Assert.Equal(["OSSECAlert_Decoder", "OSSECAlert_Decoder", "PF_Decoder", "SonicWall_Decoder", "SymantecWS_Decoder"], plugins);
        var unexpected = ruleset.Problems.Where(p => !p.Message.Contains("is defined again", StringComparison.Ordinal)
            && !p.Message.Contains("black_list", StringComparison.Ordinal) && !p.Message.Contains("999275|1", StringComparison.Ordinal)
            && !p.Message.Contains("is not implemented", StringComparison.Ordinal)).ToList();
        Assert.True(unexpected.Count == 0, string.Join("\n", unexpected));
    }

    [SharedDataFact]
    public void WazuhTestFiles_PassAtLeastTheBaseline()
    {
        var ruleset = Ruleset.Value;
        var baseline = JsonSerializer.Deserialize<Dictionary<string, int>>(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Rules", "WazuhTestsBaseline.json")))!;
        var total = 0;
        var passed = 0;
        var failures = new List<string>();
        // Note: a Tuesday in office hours: some stock rules (17101 "login outside business hours") read the time of day.
        var clock = new DateTimeOffset(2026, 11, 24, 10, 0, 0, TimeSpan.Zero);
        foreach (var path in Directory.GetFiles(Path.Combine(Root, "tests"), "*.ini").Order(StringComparer.Ordinal))
        {
            var file = WazuhTestFile.Read(path);
            var ok = 0;
            foreach (var run in file.Runs)
            {
                var state = new CorrelationState();
                (string, string, string) last = ("", "", "");
                foreach (var line in run.Lines)
                {
                    clock = clock.AddMilliseconds(10);
                    var (e, match) = ruleset.Analyze(line, state, clock);
                    last = (match?.Rule.Id.ToString(CultureInfo.InvariantCulture) ?? "", match?.Rule.Level.ToString(CultureInfo.InvariantCulture) ?? "", e.Decoder?.Name ?? "");
                }

                var expected = run.Expected;
                var exit = last == expected ? new[] { expected.Rule, expected.Level, expected.Decoder }.Count(s => s.Length == 0) : 1;
                if ((exit == 0) == run.ExpectPass)
                {
                    ok++;
                }
                else
                {
                    failures.Add($"{file.Name} [{run.Section}] {run.Key}: expected {expected}, got {last}");
                }
            }

            output.WriteLine($"{file.Name}: {ok}/{file.Runs.Count}");
            total += file.Runs.Count;
            passed += ok;
            Assert.True(ok >= baseline.GetValueOrDefault(file.Name), $"{file.Name}: {ok} runs pass, the baseline is {baseline.GetValueOrDefault(file.Name)}");
        }

        output.WriteLine($"overall: {passed}/{total} = {100.0 * passed / total:F1} %");
        foreach (var failure in failures)
        {
            output.WriteLine(failure);
        }

        // Note: every file Wazuh ships tests for is in the baseline, so a new or renamed file is noticed.
        Assert.Equal(baseline.Keys.Order(StringComparer.Ordinal), Directory.GetFiles(Path.Combine(Root, "tests"), "*.ini").Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal));
        Assert.True(passed * 100 >= total * 99, $"{passed} of {total} runs pass, below 99 %");
    }
}
