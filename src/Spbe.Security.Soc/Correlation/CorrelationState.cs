using Spbe.Security.Soc.Decoding;
using Spbe.Security.Soc.Rules;

namespace Spbe.Security.Soc.Correlation;

/// <summary>
/// What correlation remembers between events: recent events by the lists Wazuh keeps (per rule named by an
/// <c>if_matched_sid</c>, per <c>if_matched_group</c> rule, and all events), how often each rule fired, when an
/// <c>ignore</c> window started, and the first-time-seen keys. One state per logtest session or pipeline. Memory is
/// bounded: every list keeps at most <see cref="MemorySize"/> events (Wazuh's memory_size), the oldest dropped first.
/// </summary>
public sealed class CorrelationState
{
    private readonly Dictionary<Rule, EventList> _sidLists = [];
    private readonly Dictionary<Rule, EventList> _groupLists = [];
    private readonly EventList _recent;
    private readonly Dictionary<Rule, int> _fired = [];
    private readonly Dictionary<Rule, DateTimeOffset> _ignoredSince = [];
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);

    /// <summary>Creates a state keeping up to <paramref name="memorySize"/> events per list.</summary>
    public CorrelationState(int memorySize = 8192)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(memorySize, 16);
        MemorySize = memorySize;
        _recent = new EventList(memorySize);
    }

    /// <summary>The most events a list keeps.</summary>
    public int MemorySize { get; }

    /// <summary>Events held over all lists (for tests and metrics).</summary>
    public int HeldEvents => _recent.Count + _sidLists.Values.Sum(l => l.Count) + _groupLists.Values.Sum(l => l.Count);

    internal int Fire(Rule rule)
    {
        _fired[rule] = _fired.GetValueOrDefault(rule) + 1;
        return _fired[rule];
    }

    internal EventList SidList(Rule rule) => List(_sidLists, rule);

    internal EventList GroupList(Rule owner) => List(_groupLists, owner);

    internal EventList Recent => _recent;

    /// <summary>Whether the first-time-seen key is new (and remembers it).</summary>
    internal bool FirstSeen(string key) => _seen.Add(key);

    internal bool TryGetIgnoredSince(Rule rule, out DateTimeOffset since) => _ignoredSince.TryGetValue(rule, out since);

    internal void SetIgnoredSince(Rule rule, DateTimeOffset? since)
    {
        if (since is { } value)
        {
            _ignoredSince[rule] = value;
        }
        else
        {
            _ignoredSince.Remove(rule);
        }
    }

    /// <summary>Keeps <paramref name="e"/>, whose final rule is <paramref name="rule"/>, for later correlation; in the
    /// list of all recent events only when <paramref name="recent"/> (some rule searches it).</summary>
    internal void Store(AnalysisEvent e, Rule rule, bool recent)
    {
        if (!rule.KeepsSidList && rule.GroupListOwners.Count == 0 && !recent)
        {
            return;
        }

        // Note: the line's text is read again only by if_matched_regex, which searches the recent list.
        e = e.ForCorrelation(keepLog: recent);
        if (rule.KeepsSidList)
        {
            SidList(rule).Push(e);
        }
        else
        {
            foreach (var owner in rule.GroupListOwners)
            {
                GroupList(owner).Push(e);
            }
        }

        if (recent)
        {
            _recent.Push(e);
        }
    }

    private EventList List(Dictionary<Rule, EventList> lists, Rule rule)
    {
        if (!lists.TryGetValue(rule, out var list))
        {
            list = new EventList(MemorySize);
            lists[rule] = list;
        }

        return list;
    }
}
