using System.Text;
using Spbe.Security.Soc.Decoding;
using Spbe.Security.Soc.Rules;

namespace Spbe.Security.Soc.Correlation;

/// <summary>
/// One list of earlier events, newest first, bounded. A rule searching it only ever counts events of the same agent
/// (unless <c>global_frequency</c>) with the same values in its <c>same_*</c> fields, so the list keeps, per searching
/// rule, those events grouped by that key: a search reads only its group instead of the whole list. Events are in
/// arrival order in both, so the search stops at the same point and gives the same answer.
/// </summary>
internal sealed class EventList(int capacity)
{
    private readonly LinkedList<AnalysisEvent> _all = new();
    private readonly Dictionary<Rule, Dictionary<string, LinkedList<AnalysisEvent>>> _groups = [];

    public int Count => _all.Count + _groups.Values.Sum(g => g.Values.Sum(l => l.Count));

    public void Push(AnalysisEvent e)
    {
        _all.AddFirst(e);
        foreach (var (rule, groups) in _groups)
        {
            if (Key(rule, e) is { } key)
            {
                Group(groups, key).AddFirst(e);
            }
        }

        while (_all.Count > capacity)
        {
            var oldest = _all.Last!.Value;
            _all.RemoveLast();
            foreach (var (rule, groups) in _groups)
            {
                if (Key(rule, oldest) is { } key && groups.TryGetValue(key, out var group))
                {
                    group.RemoveLast();
                    if (group.Count == 0)
                    {
                        groups.Remove(key);
                    }
                }
            }
        }
    }

    /// <summary>The events <paramref name="rule"/> may count for <paramref name="current"/>, newest first.</summary>
    public IEnumerable<AnalysisEvent> For(Rule rule, AnalysisEvent current)
    {
        if (!_groups.TryGetValue(rule, out var groups))
        {
            groups = new Dictionary<string, LinkedList<AnalysisEvent>>(StringComparer.Ordinal);
            for (var node = _all.Last; node is not null; node = node.Previous)
            {
                if (Key(rule, node.Value) is { } k)
                {
                    Group(groups, k).AddFirst(node.Value);
                }
            }

            _groups[rule] = groups;
        }

        return Key(rule, current) is { } key && groups.TryGetValue(key, out var group) ? group : [];
    }

    private static LinkedList<AnalysisEvent> Group(Dictionary<string, LinkedList<AnalysisEvent>> groups, string key)
    {
        if (!groups.TryGetValue(key, out var group))
        {
            group = new LinkedList<AnalysisEvent>();
            groups[key] = group;
        }

        return group;
    }

    /// <summary>The agent (unless global) and the rule's same_* values; null when one is missing (no event could count).</summary>
    private static string? Key(Rule rule, AnalysisEvent e)
    {
        var key = new StringBuilder();
        if (!rule.GlobalFrequency)
        {
            key.Append(e.AgentId);
        }

        foreach (var flag in rule.SameFlags)
        {
            if (RuleSet.Value(e, flag) is not { } value)
            {
                return null;
            }

            key.Append('\u0001').Append(value);
        }

        foreach (var field in rule.SameFields)
        {
            if (e.Field(field) is not { } value)
            {
                return null;
            }

            key.Append('\u0002').Append(value);
        }

        return key.ToString();
    }
}
