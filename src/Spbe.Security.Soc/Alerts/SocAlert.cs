namespace Spbe.Security.Soc.Alerts;

/// <summary>
/// What the detection engine said of one stored event: the rule that fired (at or above the alert level) and the fields
/// its decoder found. Stored beside the event it belongs to (same sequence number), so the event and its rule are read
/// together (<c>rule.*</c> in the event's JSON).
/// </summary>
public sealed record SocAlert
{
    /// <summary>The event's sequence number.</summary>
    public long Sequence { get; init; }

    /// <summary>The event's arrival time (which day's store holds it).</summary>
    public DateTimeOffset Timestamp { get; init; }

    /// <summary>The rule id (<c>rule.id</c>).</summary>
    public int RuleId { get; init; }

    /// <summary>Its level, 0 to 16 (<c>rule.level</c>).</summary>
    public int Level { get; init; }

    /// <summary>The description with the event's values filled in (<c>rule.description</c>).</summary>
    public string Description { get; init; } = "";

    /// <summary>The rule's groups (<c>rule.groups</c>).</summary>
    public IReadOnlyList<string> Groups { get; init; } = [];

    /// <summary>MITRE ATT&amp;CK technique ids (<c>rule.mitre.id</c>).</summary>
    public IReadOnlyList<string> Mitre { get; init; } = [];

    /// <summary>How often the rule has fired since the engine started (<c>rule.firedtimes</c>).</summary>
    public int FiredTimes { get; init; }

    /// <summary>The decoder that took the event, or null (<c>decoder.name</c>).</summary>
    public string? Decoder { get; init; }

    /// <summary>The fields the decoders set, by their Wazuh names (<c>data.*</c>), in the order set.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Fields { get; init; } = [];
}
