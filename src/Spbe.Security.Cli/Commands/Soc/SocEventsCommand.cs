using System.CommandLine;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Spbe.Security.Soc;
using Spbe.Security.Soc.Store;

namespace Spbe.Security.Cli.Commands.Soc;

/// <summary><c>spbe soc events [--since T] [--until T] [--opd CODE] [--q TEXT] [--limit N] [--json]</c>: stored events,
/// newest first. Text output escapes control characters: log lines are attacker input and must not drive the terminal.</summary>
internal static class SocEventsCommand
{
    public static Command Create(CliOutput output)
    {
        var filters = new SocQueryOptions();
        var limit = new Option<int>("--limit") { Description = "Events to show (at most 1000)", DefaultValueFactory = _ => 100 };
        var json = CliOptions.Json();
        var command = new Command("events", "Show stored events, newest first") { limit, json };
        foreach (var option in filters.All)
        {
            command.Options.Add(option);
        }

        command.SetAction(async (parse, cancellationToken) =>
        {
            using var host = await CliHost.OpenAsync(parse.GetRequiredValue(CliOptions.Data), output, cancellationToken);
            EventQuery query;
            try
            {
                query = filters.Build(parse, host.Services.GetRequiredService<TimeProvider>().GetUtcNow()) with { Limit = Math.Clamp(parse.GetValue(limit), 1, EventQuery.MaxLimit) };
            }
            catch (FormatException ex)
            {
                output.Fail(SocErrors.QueryInvalid, ex.Message);
                return ExitCodes.Usage;
            }

            var page = await host.Services.GetRequiredService<IEventStore>().QueryAsync(query, cancellationToken);
            if (parse.GetValue(json))
            {
                using var buffer = new MemoryStream();
                await using (var writer = new Utf8JsonWriter(buffer))
                {
                    SocEventJson.WritePage(writer, page);
                }

                output.Out.WriteLine(System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
                return ExitCodes.Success;
            }

            foreach (var e in page.Events)
            {
                var rule = e.Alert is { } alert ? $"[rule {alert.RuleId} level {alert.Level}: {Escape(alert.Description)}] " : "";
                output.Out.WriteLine($"{e.Timestamp.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss.fff'Z'}  {e.Opd ?? "-",-12} {e.Source,-20} {rule}{Escape(e.Original)}");
            }

            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>Shows control characters as <c>\xNN</c> so that a log line cannot move the cursor or recolour the terminal.</summary>
    internal static string Escape(string text)
    {
        var builder = new System.Text.StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (char.IsControl(c) || c is '\u2028' or '\u2029' or '\u200E' or '\u200F' or (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069'))
            {
                builder.Append(System.Globalization.CultureInfo.InvariantCulture, $"\\x{(int)c:x2}");
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }
}
