namespace Spbe.Security.Soc.Decoding;

/// <summary>
/// One event on its way through decoding and rules: the pre-decoded line, where it came from, when it arrived, the
/// decoder that took it and the fields it set. Static fields keep the last value set; dynamic fields keep every value
/// in order, and a lookup (case-insensitive) finds the first, as in Wazuh.
/// </summary>
public sealed class AnalysisEvent
{
    // Note: both made on first use; many events set no field, and events kept for correlation should be small.
    private string?[]? _static;
    private List<KeyValuePair<string, string>>? _dynamic;

    /// <summary>Creates the event for <paramref name="line"/>.</summary>
    public AnalysisEvent(PreDecoded line, string location, string agentId, DateTimeOffset arrival)
    {
        ArgumentNullException.ThrowIfNull(line);
        FullLog = line.FullLog;
        Log = line.Log;
        Timestamp = RecentStrings.Shared(line.Timestamp);
        Hostname = RecentStrings.Shared(line.Hostname);
        ProgramName = RecentStrings.Shared(line.ProgramName);
        Location = location;
        AgentId = agentId;
        Arrival = arrival;
    }

    private AnalysisEvent(AnalysisEvent e, bool keepLog)
    {
        (FullLog, Log, Timestamp, Hostname, ProgramName) = ("", keepLog ? e.Log : "", e.Timestamp, e.Hostname, e.ProgramName);
        (Location, AgentId, Arrival, Decoder, Matched) = (e.Location, e.AgentId, e.Arrival, e.Decoder, e.Matched);
        (_static, _dynamic) = (e._static, e._dynamic);
    }

    /// <summary>The whole line.</summary>
    public string FullLog { get; }

    /// <summary>The line after its header: what decoders and rule <c>match</c>/<c>regex</c> read.</summary>
    public string Log { get; }

    /// <summary>The header's timestamp text.</summary>
    public string? Timestamp { get; }

    /// <summary>The header's host.</summary>
    public string? Hostname { get; }

    /// <summary>The header's program name (possibly empty).</summary>
    public string? ProgramName { get; }

    /// <summary>Where the line was read (<c>stdin</c> for logtest, the source for ingest).</summary>
    public string Location { get; }

    /// <summary>The agent (source) correlation keeps apart unless a rule says <c>global_frequency</c>.</summary>
    public string AgentId { get; }

    /// <summary>When the event arrived: correlation windows use it.</summary>
    public DateTimeOffset Arrival { get; }

    /// <summary>The decoder that took the event (Wazuh's decoder_info), or null.</summary>
    public Decoder? Decoder { get; internal set; }

    /// <summary>The level of the correlation rule this event last completed (Wazuh's "matched"): an event counts once
    /// per firing.</summary>
    internal int Matched { get; set; }

    /// <summary>The rule category of the event: its decoder's type, syslog without one.</summary>
    public string Category => Decoder?.Type ?? "syslog";

    /// <summary>The dynamic fields in the order they were set.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> DynamicFields => _dynamic ?? [];

    /// <summary>Where the text after the top-level decoder's match starts (for <c>after_parent</c>), or -1.</summary>
    internal int AfterParent { get; set; } = -1;

    /// <summary>Where the text after the matched prematch starts (for <c>after_prematch</c>), or -1.</summary>
    internal int AfterPrematch { get; set; } = -1;

    /// <summary>The value of a static field, or null.</summary>
    public string? this[StaticField field]
    {
        get => _static?[(int)field];
        internal set => (_static ??= new string?[StaticFields.Names.Length])[(int)field] = value;
    }

    /// <summary>The first dynamic field named <paramref name="name"/> (case-insensitive), or null.</summary>
    public string? Field(string name)
    {
        if (_dynamic is null)
        {
            return null;
        }

        foreach (var (key, value) in _dynamic)
        {
            if (string.Equals(key, name, StringComparison.OrdinalIgnoreCase))
            {
                return value;
            }
        }

        return null;
    }

    /// <summary>
    /// What correlation keeps of this event once its rules have run: the same fields (shared, not copied), source,
    /// arrival and decoder, without the text of the line unless <paramref name="keepLog"/> (a rule reads earlier
    /// events' <see cref="Log"/>). Most events kept are held for minutes; the line is most of their size.
    /// </summary>
    internal AnalysisEvent ForCorrelation(bool keepLog) => new(this, keepLog);

    /// <summary>Adds a dynamic field (a name already present is added again; lookups find the first).</summary>
    internal void AddField(string name, string value) => (_dynamic ??= []).Add(new(name, value));

    /// <summary>Sets a field by its decoder order name (static or dynamic).</summary>
    internal void Set(string name, string value)
    {
        if (StaticFields.FromOrderName(name) is { } field)
        {
            this[field] = value;
        }
        else
        {
            AddField(name, value);
        }
    }
}
