using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Spbe.Security.Soc;
using Spbe.Security.Soc.Correlation;
using Spbe.Security.Soc.Ruleset;

namespace Spbe.Security.Cli.Commands.Soc;

/// <summary>
/// <c>spbe soc replay FILE [--ruleset DIR]... [--stats]</c>: runs every line of FILE through pre-decoding, decoding,
/// rules and correlation (one session, on one thread) as fast as it can. Prints each alert as a JSON line, or with
/// <c>--stats</c> the lines per second, the alerts by rule and the peak memory.
/// </summary>
internal static class SocReplayCommand
{
    public static Command Create(CliOutput output)
    {
        var file = new Argument<FileInfo>("FILE") { Description = "A file of log lines" };
        var rulesets = RulesetOption.Create();
        var stats = new Option<bool>("--stats") { Description = "Print throughput, alerts by rule and peak memory instead of the alerts" };
        var command = new Command("replay", "Run a log file through the decoders, rules and correlation as fast as possible") { file, rulesets, stats };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var path = parse.GetRequiredValue(file);
            if (!path.Exists)
            {
                output.Fail(SocErrors.RulesetNotFound, $"no file {path.FullName}");
                return ExitCodes.Failure;
            }

            if (RulesetOption.Load(parse.GetValue(rulesets), output) is not { } ruleset)
            {
                return ExitCodes.Failure;
            }

            var summary = parse.GetValue(stats);
            var state = new CorrelationState();
            var byRule = new Dictionary<int, (int Count, int Level, string Description)>();
            long lines = 0;
            var allocated = GC.GetTotalAllocatedBytes();
            var collections = GC.CollectionCount(0);
            var paused = GC.GetTotalPauseDuration();
            var clock = Stopwatch.StartNew();
            using var reader = path.OpenText();
            while (await reader.ReadLineAsync(cancellationToken) is { } line)
            {
                lines++;
                var (e, match) = ruleset.Analyze(line, state, TimeProvider.System.GetUtcNow(), path.Name);
                if (match is not { Alert: true })
                {
                    continue;
                }

                var (count, _, _) = byRule.GetValueOrDefault(match.Rule.Id);
                byRule[match.Rule.Id] = (count + 1, match.Rule.Level, match.Rule.Description);
                if (!summary)
                {
                    output.Out.WriteLine(new LogtestResult(path.Name, e, match).ToJson());
                }
            }

            clock.Stop();
            if (summary)
            {
                var seconds = Math.Max(clock.Elapsed.TotalSeconds, 1e-6);
                output.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{lines:N0} lines in {seconds:F2} s = {lines / seconds:N0} lines/s; {byRule.Values.Sum(r => r.Count):N0} alerts; peak memory {Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0:N0} MB; {(GC.GetTotalAllocatedBytes() - allocated) / (double)Math.Max(lines, 1):N0} bytes allocated a line, {GC.CollectionCount(0) - collections:N0} collections ({(GC.GetTotalPauseDuration() - paused).TotalSeconds:F2} s paused); {ruleset.Rules.Count:N0} rules"));
                foreach (var (id, (count, level, description)) in byRule.OrderByDescending(r => r.Value.Count).ThenBy(r => r.Key))
                {
                    output.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{count,10:N0}  rule {id,-7} level {level,-2} {LogtestResult.Escape(description)}"));
                }
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
