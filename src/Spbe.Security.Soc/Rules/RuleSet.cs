using System.Text;
using Spbe.Security.Soc.Correlation;
using Spbe.Security.Soc.Decoding;

namespace Spbe.Security.Soc.Rules;

/// <summary>
/// The loaded rule tree and Wazuh's evaluation: the top-level rule of the event's category, then depth first, the
/// first child (by priority) whose subtree gives a rule wins, a matching rule whose children give nothing wins itself
/// unless it is <c>noalert</c>; a level-0 result silences the event. Correlation rules search the earlier events kept in
/// a <see cref="CorrelationState"/>.
/// </summary>
public sealed class RuleSet
{
    private readonly List<RuleNode> _tree;
    private readonly Dictionary<int, Rule> _byId;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(string Category, string Decoder), RuleNode[]> _topFor = new();

    /// <summary>Whether a rule searches all recent events (<c>if_matched_regex</c>); only then are they kept.</summary>
    private readonly bool _searchesRecent;

    internal RuleSet(List<RuleNode> tree, Dictionary<int, Rule> byId)
    {
        _tree = tree;
        _byId = byId;
        foreach (var rule in byId.Values)
        {
            rule.Freeze();
        }

        _searchesRecent = byId.Values.Any(r => r.EventSearch == EventSearch.Events);
    }

    /// <summary>How many rules.</summary>
    public int Count => _byId.Count;

    /// <summary>The host name events without one in their header get (Wazuh uses the manager's short host name).</summary>
    public string ManagerHost { get; init; } = Environment.MachineName.Split('.')[0];

    /// <summary>The zone in which <c>time</c> and <c>weekday</c> read the arrival time.</summary>
    public TimeZoneInfo Zone { get; init; } = TimeZoneInfo.Local;

    /// <summary>The lowest level that makes an alert (Wazuh's log_alert_level).</summary>
    public int AlertLevel { get; init; } = 3;

    /// <summary>The rule with id <paramref name="id"/>, or null.</summary>
    public Rule? Find(int id) => _byId.GetValueOrDefault(id);

    /// <summary>Evaluates the decoded event <paramref name="e"/> as wazuh-logtest does: the rule that matched (level-0
    /// rules included), how often it has fired, and whether it makes an alert. Correlation state is updated.</summary>
    public RuleMatch? Evaluate(AnalysisEvent e, CorrelationState state)
    {
        ArgumentNullException.ThrowIfNull(e);
        ArgumentNullException.ThrowIfNull(state);
        foreach (var top in TopFor(e.Category, e.Decoder?.Name))
        {
            if (Check(e, top, state) is not { } match)
            {
                continue;
            }

            var (rule, fired) = match;
            var stored = false;
            if (rule.Level > 0 && !Ignored(rule, e, state))
            {
                state.Store(e, rule, _searchesRecent);
                stored = true;
            }

            return new RuleMatch(rule, fired, stored && rule.Level >= AlertLevel, Describe(rule, e));
        }

        return null;
    }

    /// <summary>The top-level rules an event of <paramref name="category"/> and <paramref name="decoder"/> can match, in
    /// order: those of its category without <c>decoded_as</c> or with that decoder (the others would fail their first
    /// tests). Kept per category and decoder name, which come from the ruleset, so the cache is bounded.</summary>
    private RuleNode[] TopFor(string category, string? decoder) =>
        _topFor.GetOrAdd((category, decoder ?? ""), static (key, tree) => [.. tree.Where(t => string.Equals(t.Rule.Category, key.Category, StringComparison.Ordinal)
            && (t.Rule.DecodedAs is null || string.Equals(t.Rule.DecodedAs, key.Decoder, StringComparison.Ordinal)))], _tree);

    private static bool Ignored(Rule rule, AnalysisEvent e, CorrelationState state)
    {
        if (rule.IgnoreSeconds == 0)
        {
            return false;
        }

        if (!state.TryGetIgnoredSince(rule, out var since))
        {
            state.SetIgnoredSince(rule, e.Arrival);
            return false;
        }

        if ((e.Arrival - since).TotalSeconds < rule.IgnoreSeconds)
        {
            return true;
        }

        // Note: wazuh-logtest clears the window when it has passed, rather than starting a new one.
        state.SetIgnoredSince(rule, null);
        return false;
    }

    private (Rule Rule, int Fired)? Check(AnalysisEvent e, RuleNode node, CorrelationState state)
    {
        var rule = node.Rule;
        if (!Matches(rule, e, state))
        {
            return null;
        }

        foreach (var child in node.ChildrenFor(e.Decoder?.Name))
        {
            if (Check(e, child, state) is { } found)
            {
                return found;
            }
        }

        if (rule.NoAlert)
        {
            return null;
        }

        return (rule, state.Fire(rule));
    }

    /// <summary>The conditions of one rule, in the order Wazuh tests them.</summary>
    private bool Matches(Rule r, AnalysisEvent e, CorrelationState state)
    {
        if (r.DecodedAs is { } decodedAs && !string.Equals(decodedAs, e.Decoder?.Name, StringComparison.Ordinal))
        {
            return false;
        }

        var checks = r.FieldChecks;
        if (!Holds(checks, RuleField.ProgramName, e.ProgramName) || !Holds(checks, RuleField.Id, e[StaticField.Id])
            || !Holds(checks, RuleField.SystemName, e[StaticField.SystemName]) || !Holds(checks, RuleField.Protocol, e[StaticField.Protocol])
            || !Holds(checks, RuleField.Match, e.Log) || !Holds(checks, RuleField.Regex, e.Log)
            || !Holds(checks, RuleField.Action, e[StaticField.Action]) || !Holds(checks, RuleField.Url, e[StaticField.Url])
            || !Holds(checks, RuleField.Location, e.Location))
        {
            return false;
        }

        foreach (var (name, check) in r.DynamicChecks)
        {
            if (!check.Holds(e.Field(name)))
            {
                return false;
            }
        }

        if ((r.SrcIp is { } src && !InList(src, e[StaticField.SrcIp])) || (r.DstIp is { } dst && !InList(dst, e[StaticField.DstIp]))
            || !Holds(checks, RuleField.SrcPort, e[StaticField.SrcPort]) || !Holds(checks, RuleField.DstPort, e[StaticField.DstPort]))
        {
            return false;
        }

        if ((r.CompiledRule is { } compiled && !CompiledRules.Holds(compiled, e)) || !Holds(checks, RuleField.User, e[StaticField.DstUser] ?? e[StaticField.SrcUser])
            || !Holds(checks, RuleField.SrcGeoIp, null, optional: true) || !Holds(checks, RuleField.DstGeoIp, null, optional: true)
            || (r.MaxSize > 0 && e.Log.Length < r.MaxSize) || (r.Time is { } time && !time.Contains(TimeZoneInfo.ConvertTime(e.Arrival, Zone)))
            || (r.Weekday is { } day && !day.Contains(TimeZoneInfo.ConvertTime(e.Arrival, Zone)))
            || !Holds(checks, RuleField.Data, e[StaticField.Data]) || !Holds(checks, RuleField.ExtraData, e[StaticField.ExtraData])
            || !Holds(checks, RuleField.Hostname, e.Hostname ?? ManagerHost) || !Holds(checks, RuleField.Status, e[StaticField.Status]) || r.CheckDiff)
        {
            return false;
        }

        if (r.IfFts && !FirstTimeSeen(e, state))
        {
            return false;
        }

        foreach (var lookup in r.Lists)
        {
            if (!lookup.Holds(e))
            {
                return false;
            }
        }

        return r.EventSearch == EventSearch.None || Search(r, e, state);
    }

    private static bool Holds(FieldCheck?[] checks, RuleField field, string? value, bool optional = false) =>
        checks[(int)field] is not { } check || (!optional && check.Holds(value)) || (optional && value is not null && check.Holds(value));

    private static bool InList((IpList List, bool Negate) condition, string? value) =>
        value is not null && condition.List.Contains(value) != condition.Negate;

    private static bool FirstTimeSeen(AnalysisEvent e, CorrelationState state)
    {
        if (e.Decoder is not { Fts.Count: > 0 } decoder)
        {
            return false;
        }

        var key = new StringBuilder(decoder.Name);
        foreach (var name in decoder.Fts)
        {
            var value = name switch
            {
                "id" => e[StaticField.Id],
                "user" or "dstuser" => e[StaticField.DstUser],
                "srcuser" => e[StaticField.SrcUser],
                "srcip" => e[StaticField.SrcIp],
                "dstip" => e[StaticField.DstIp],
                "data" or "extra_data" => e[StaticField.Data],
                "system_name" => e[StaticField.SystemName],
                "location" => e.Location,
                "name" => null,
                _ => e.Field(name),
            };
            key.Append(' ').Append(value);
        }

        return state.FirstSeen(key.ToString());
    }

    /// <summary>
    /// Looks through the earlier events the rule correlates with, newest first: it matches when, within its timeframe,
    /// enough of them qualify (its frequency less one; one when it has none), none of them already used for a firing of
    /// this level. The firing marks the current event and the newest counted one as used.
    /// </summary>
    private bool Search(Rule r, AnalysisEvent e, CorrelationState state)
    {
        var list = r.EventSearch switch
        {
            EventSearch.Sids => r.IfMatchedSid is { } sid && FindTarget(sid, state) is { } target ? target : null,
            EventSearch.Groups => state.GroupList(r),
            _ => state.Recent,
        };
        if (list is null)
        {
            return false;
        }

        var count = 0;
        AnalysisEvent? first = null;
        foreach (var previous in list.For(r, e))
        {
            if ((e.Arrival - previous.Arrival).TotalSeconds > r.Timeframe)
            {
                return false;
            }

            if (!r.GlobalFrequency && !string.Equals(previous.AgentId, e.AgentId, StringComparison.Ordinal))
            {
                continue;
            }

            if (r.EventSearch == EventSearch.Events && (previous.Category != e.Category || !r.IfMatchedRegex!.IsMatch(previous.Log)))
            {
                continue;
            }

            if (!SameAndDifferent(r, e, previous))
            {
                continue;
            }

            if (previous.Matched >= r.Level)
            {
                return false;
            }

            if (count < r.StoredFrequency)
            {
                count++;
                first ??= previous;
                continue;
            }

            e.Matched = r.Level;
            first?.Matched = r.Level;
            return true;
        }

        return false;
    }

    private EventList? FindTarget(int sid, CorrelationState state) =>
        _byId.TryGetValue(sid, out var target) ? state.SidList(target) : null;

    private static bool SameAndDifferent(Rule r, AnalysisEvent e, AnalysisEvent previous)
    {
        if (r.SameFields.Count > 0)
        {
            if (e.DynamicFields.Count == 0 || previous.DynamicFields.Count == 0)
            {
                return false;
            }

            foreach (var field in r.SameFields)
            {
                if (!SameField(e, previous, field))
                {
                    return false;
                }
            }
        }

        if (r.DifferentFields.Count > 0)
        {
            if (e.DynamicFields.Count == 0 && previous.DynamicFields.Count == 0)
            {
                return false;
            }

            foreach (var field in r.DifferentFields)
            {
                if (SameField(e, previous, field))
                {
                    return false;
                }
            }
        }

        foreach (var flag in r.CorrelatedFlags)
        {
            var a = Value(e, flag);
            var b = Value(previous, flag);
            var equal = a is not null && b is not null && string.Equals(a, b, StringComparison.Ordinal);
            if ((r.Same & flag) != 0 && !equal)
            {
                return false;
            }

            if ((r.Different & flag) != 0 && equal)
            {
                return false;
            }
        }

        return true;
    }

    private static bool SameField(AnalysisEvent e, AnalysisEvent previous, string field) =>
        e.Field(field) is { } a && previous.Field(field) is { } b && string.Equals(a, b, StringComparison.Ordinal);

    internal static string? Value(AnalysisEvent e, CorrelatedField field) => field switch
    {
        CorrelatedField.SrcIp => e[StaticField.SrcIp],
        CorrelatedField.Id => e[StaticField.Id],
        CorrelatedField.DstIp => e[StaticField.DstIp],
        CorrelatedField.SrcPort => e[StaticField.SrcPort],
        CorrelatedField.DstPort => e[StaticField.DstPort],
        CorrelatedField.SrcUser => e[StaticField.SrcUser],
        CorrelatedField.DstUser => e[StaticField.DstUser],
        CorrelatedField.Protocol => e[StaticField.Protocol],
        CorrelatedField.Action => e[StaticField.Action],
        CorrelatedField.Url => e[StaticField.Url],
        CorrelatedField.Data => e[StaticField.Data],
        CorrelatedField.ExtraData => e[StaticField.ExtraData],
        CorrelatedField.Status => e[StaticField.Status],
        CorrelatedField.SystemName => e[StaticField.SystemName],
        CorrelatedField.Location => e.Location,
        _ => null,
    };

    /// <summary>The description with <c>$(field)</c> replaced by the event's values (empty when absent).</summary>
    private static string Describe(Rule rule, AnalysisEvent e)
    {
        var text = rule.Description;
        if (!text.Contains("$(", StringComparison.Ordinal))
        {
            return text;
        }

        var result = new StringBuilder();
        var i = 0;
        while (i < text.Length)
        {
            var open = text.IndexOf("$(", i, StringComparison.Ordinal);
            var close = open < 0 ? -1 : text.IndexOf(')', open);
            if (open < 0 || close < 0)
            {
                result.Append(text, i, text.Length - i);
                break;
            }

            result.Append(text, i, open - i);
            var name = text[(open + 2)..close];
            result.Append(name switch
            {
                "program_name" => e.ProgramName,
                "hostname" => e.Hostname,
                _ => StaticFields.FromOrderName(name) is { } f && name != "user" ? e[f] : e.Field(name),
            });
            i = close + 1;
        }

        return result.ToString();
    }
}
