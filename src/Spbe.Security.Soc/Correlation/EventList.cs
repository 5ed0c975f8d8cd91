using Spbe.Security.Soc.Decoding;
using Spbe.Security.Soc.Rules;

namespace Spbe.Security.Soc.Correlation;

/// <summary>
/// One list of earlier events, newest first, holding the last <c>capacity</c> events pushed. A rule searching it only
/// ever counts events of the same agent (unless <c>global_frequency</c>) with the same values in its <c>same_*</c>
/// fields, so the list keeps, per searching rule, those events grouped by that key: a search reads only its group
/// instead of the whole list. Events are in arrival order in both, so the search stops at the same point and gives the
/// same answer.
/// </summary>
/// <remarks>
/// Events are numbered as they are pushed and held in a ring of <c>capacity</c> slots. A group holds numbers with its
/// events; an entry whose number has left the ring is dropped when the group is next added to or read, and a sweep
/// every <c>capacity</c> pushes drops the rest, with groups left empty. Nothing is allocated per push but a group's
/// growth and a new key's string.
/// </remarks>
internal sealed class EventList
{
    private readonly AnalysisEvent?[] _ring;
    private readonly Dictionary<Rule, Groups> _groups = [];
    private readonly KeyBuilder _key = new();
    private long _pushed;

    public EventList(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _ring = new AnalysisEvent?[capacity];
    }

    /// <summary>Events held: the ring's and every group's.</summary>
    public int Count
    {
        get
        {
            Sweep();
            return (int)Math.Min(_pushed, _ring.Length) + _groups.Values.Sum(g => g.Map.Values.Sum(l => l.Count));
        }
    }

    /// <summary>The number of the oldest event still held.</summary>
    private long Oldest => Math.Max(0, _pushed - _ring.Length);

    public void Push(AnalysisEvent e)
    {
        var number = _pushed++;
        _ring[number % _ring.Length] = e;
        foreach (var (rule, groups) in _groups)
        {
            if (_key.Build(rule, e))
            {
                groups.Get(_key, create: true)!.Add(number, e, Oldest);
            }
        }

        if (_pushed % _ring.Length == 0)
        {
            Sweep();
        }
    }

    /// <summary>The events <paramref name="rule"/> may count for <paramref name="current"/>, newest first.</summary>
    public EventGroup.View For(Rule rule, AnalysisEvent current)
    {
        if (!_groups.TryGetValue(rule, out var groups))
        {
            groups = new Groups();
            for (var number = Oldest; number < _pushed; number++)
            {
                var e = _ring[number % _ring.Length]!;
                if (_key.Build(rule, e))
                {
                    groups.Get(_key, create: true)!.Add(number, e, Oldest);
                }
            }

            _groups[rule] = groups;
        }

        return _key.Build(rule, current) && groups.Get(_key, create: false) is { } group ? group.Newest(Oldest) : default;
    }

    private void Sweep()
    {
        var oldest = Oldest;
        foreach (var groups in _groups.Values)
        {
            foreach (var (key, group) in groups.Map)
            {
                if (group.DropBefore(oldest) == 0)
                {
                    groups.Map.Remove(key);
                }
            }
        }
    }

    /// <summary>The groups of one rule by key; looked up by the key's characters, so only a new key makes a string.</summary>
    private sealed class Groups
    {
        private readonly Dictionary<string, EventGroup>.AlternateLookup<ReadOnlySpan<char>> _lookup;

        public Groups() => _lookup = Map.GetAlternateLookup<ReadOnlySpan<char>>();

        public Dictionary<string, EventGroup> Map { get; } = new(StringComparer.Ordinal);

        public EventGroup? Get(KeyBuilder key, bool create)
        {
            if (_lookup.TryGetValue(key.Text, out var group) || !create)
            {
                return group;
            }

            group = new EventGroup();
            Map[key.Text.ToString()] = group;
            return group;
        }
    }

    /// <summary>
    /// The key of an event for a rule: the agent (unless global) and the rule's same_* values, or none when one is
    /// missing (no event could count). Values are separated by control characters; should a value contain one and two
    /// keys coincide, their events share a group, and the search's own field comparison still tells them apart.
    /// </summary>
    private sealed class KeyBuilder
    {
        private char[] _buffer = new char[256];
        private int _length;

        public ReadOnlySpan<char> Text => _buffer.AsSpan(0, _length);

        public bool Build(Rule rule, AnalysisEvent e)
        {
            _length = 0;
            if (!rule.GlobalFrequency)
            {
                Append('\u0000', e.AgentId);
            }

            foreach (var flag in rule.SameFlags)
            {
                if (RuleSet.Value(e, flag) is not { } value)
                {
                    return false;
                }

                Append('\u0001', value);
            }

            foreach (var field in rule.SameFields)
            {
                if (e.Field(field) is not { } value)
                {
                    return false;
                }

                Append('\u0002', value);
            }

            return true;
        }

        private void Append(char separator, string value)
        {
            if (_length + value.Length + 1 > _buffer.Length)
            {
                Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + value.Length + 1));
            }

            _buffer[_length++] = separator;
            value.CopyTo(_buffer.AsSpan(_length));
            _length += value.Length;
        }
    }
}
