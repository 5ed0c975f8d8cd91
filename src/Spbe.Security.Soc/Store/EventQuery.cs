namespace Spbe.Security.Soc.Store;

/// <summary>What to look for in the event store. Every condition given must hold.</summary>
public sealed record EventQuery
{
    /// <summary>The most events one page returns.</summary>
    public const int MaxLimit = 1000;

    /// <summary>Arrived at or after this time.</summary>
    public DateTimeOffset? Since { get; init; }

    /// <summary>Arrived before this time.</summary>
    public DateTimeOffset? Until { get; init; }

    /// <summary>The OPDs the caller may see; <see langword="null"/> means all (and unknown sources too).</summary>
    public IReadOnlyList<string>? Scope { get; init; }

    /// <summary>Only this OPD.</summary>
    public string? Opd { get; init; }

    /// <summary>Only this source (name in sources.yaml).</summary>
    public string? Source { get; init; }

    /// <summary>Only this HOSTNAME.</summary>
    public string? Host { get; init; }

    /// <summary>Only this program (APP-NAME or BSD tag).</summary>
    public string? Program { get; init; }

    /// <summary>Only this severity or a more severe one (a lower number).</summary>
    public int? MaxSeverity { get; init; }

    /// <summary>Only events with an alert of this level or higher (<c>rule.level</c>).</summary>
    public int? MinLevel { get; init; }

    /// <summary>Only events with an alert of this rule (<c>rule.id</c>).</summary>
    public int? RuleId { get; init; }

    /// <summary>Words that must all occur in the message (full text).</summary>
    public string? Text { get; init; }

    /// <summary>JSON fields (of HTTP and internal events) with the value they must have, by dotted path.</summary>
    public IReadOnlyDictionary<string, string> Fields { get; init; } = new Dictionary<string, string>();

    /// <summary>Events per page.</summary>
    public int Limit { get; init; } = 100;

    /// <summary>Where the previous page ended (from <see cref="EventPage.NextCursor"/>).</summary>
    public string? Cursor { get; init; }
}
