using System.CommandLine;
using System.Text.Json;
using Spbe.Security.Soc;
using Spbe.Security.Soc.Ruleset;

namespace Spbe.Security.Cli.Commands.Soc;

/// <summary>
/// <c>spbe logtest [--ruleset DIR]... [--json] [--sessions]</c>: wazuh-logtest over standard input. Plainly every line
/// belongs to one session (correlation rules see the earlier lines); with <c>--sessions</c> every line is
/// <c>{"session":"ID","log":"LINE"}</c> and each session has its own correlation state. <c>--json</c> prints one JSON
/// object per input line.
/// </summary>
internal static class LogtestCommand
{
    public static Command Create(CliOutput output)
    {
        var rulesets = RulesetOption.Create();
        var json = new Option<bool>("--json") { Description = "Print one JSON object per input line" };
        var sessions = new Option<bool>("--sessions") { Description = "Read {\"session\":\"ID\",\"log\":\"LINE\"} lines; each session has its own correlation state" };
        var command = new Command("logtest", "Test log lines against the decoders and rules, like wazuh-logtest") { rulesets, json, sessions };
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (RulesetOption.Load(parse.GetValue(rulesets), output) is not { } ruleset)
            {
                return ExitCodes.Failure;
            }

            var logtest = new Logtest(ruleset, TimeProvider.System);
            var asJson = parse.GetValue(json);
            var bySession = parse.GetValue(sessions);
            var failed = false;
            var number = 0;
            while (await output.Input.ReadLineAsync(cancellationToken) is { } line)
            {
                number++;
                var (session, log) = bySession ? ReadSessionLine(line) : ("0", line);
                if (log is null)
                {
                    output.Fail(SocErrors.LogtestInputInvalid, $"line {number} is not a JSON object with \"session\" and \"log\" strings");
                    failed = true;
                    continue;
                }

                var result = logtest.Process(session!, log);
                if (asJson)
                {
                    output.Out.WriteLine(result.ToJson());
                }
                else
                {
                    result.WriteText(output.Out);
                }
            }

            return failed ? ExitCodes.Failure : ExitCodes.Success;
        });
        return command;
    }

    private static (string? Session, string? Log) ReadSessionLine(string line)
    {
        try
        {
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            return root.ValueKind == JsonValueKind.Object
                && root.TryGetProperty("session", out var session) && session.ValueKind == JsonValueKind.String
                && root.TryGetProperty("log", out var log) && log.ValueKind == JsonValueKind.String
                ? (session.GetString(), log.GetString())
                : (null, null);
        }
        catch (JsonException)
        {
            return (null, null);
        }
    }
}
