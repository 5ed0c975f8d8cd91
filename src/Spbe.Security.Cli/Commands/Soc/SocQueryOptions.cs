using System.CommandLine;
using System.Globalization;
using Spbe.Security.Soc.Store;

namespace Spbe.Security.Cli.Commands.Soc;

/// <summary>The filters <c>spbe soc events</c> and <c>spbe soc count</c> share.</summary>
internal sealed class SocQueryOptions
{
    public Option<string?> Since { get; } = new("--since") { Description = "Arrived at or after this time (ISO 8601, or a span back from now: 15m, 2h, 7d)" };

    public Option<string?> Until { get; } = new("--until") { Description = "Arrived before this time (ISO 8601 or a span back from now)" };

    public Option<string?> Opd { get; } = new("--opd") { Description = "Only this OPD (code)" };

    public Option<string?> Source { get; } = new("--source") { Description = "Only this source (name in sources.yaml)" };

    public Option<string?> Host { get; } = new("--host") { Description = "Only this HOSTNAME" };

    public Option<string?> Program { get; } = new("--program") { Description = "Only this program (APP-NAME or tag)" };

    public Option<string?> Text { get; } = new("--q") { Description = "Words that must all occur in the message" };

    public Option<int?> MinLevel { get; } = new("--min-level") { Description = "Only events with an alert of this rule level or higher" };

    public Option<int?> Rule { get; } = new("--rule") { Description = "Only events with an alert of this rule id" };

    public IEnumerable<Option> All => [Since, Until, Opd, Source, Host, Program, Text, MinLevel, Rule];

    /// <summary>Reads a time: ISO 8601, or <c>N</c> followed by m, h or d meaning that long before <paramref name="now"/>.</summary>
    public static DateTimeOffset? ParseTime(string? text, DateTimeOffset now, string option)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var unit = text[^1];
        if (unit is 'm' or 'h' or 'd' && int.TryParse(text[..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var amount))
        {
            return now - (unit switch { 'm' => TimeSpan.FromMinutes(amount), 'h' => TimeSpan.FromHours(amount), _ => TimeSpan.FromDays(amount) });
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value)
            ? value
            : throw new FormatException($"{option} '{text}' is neither an ISO 8601 time nor a span such as 15m, 2h or 7d");
    }

    public EventQuery Build(ParseResult parse, DateTimeOffset now) => new()
    {
        Since = ParseTime(parse.GetValue(Since), now, "--since"),
        Until = ParseTime(parse.GetValue(Until), now, "--until"),
        Opd = parse.GetValue(Opd),
        Source = parse.GetValue(Source),
        Host = parse.GetValue(Host),
        Program = parse.GetValue(Program),
        Text = parse.GetValue(Text),
        MinLevel = parse.GetValue(MinLevel),
        RuleId = parse.GetValue(Rule),
    };
}
