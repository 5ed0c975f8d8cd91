using Spbe.Security.Soc.Decoding;

namespace Spbe.Security.Soc.Rules;

/// <summary>One <c>&lt;rule&gt;</c> of a ruleset, as loaded (and overwritten).</summary>
public sealed class Rule
{
    internal Rule(int id, string file, int line)
    {
        Id = id;
        File = file;
        Line = line;
    }

    /// <summary>The rule id.</summary>
    public int Id { get; }

    /// <summary>The file it comes from.</summary>
    public string File { get; internal set; }

    /// <summary>The line of its <c>&lt;rule&gt;</c>.</summary>
    public int Line { get; internal set; }

    /// <summary>0 to 16; 0 silences an event.</summary>
    public int Level { get; internal set; }

    /// <summary>The description, with <c>$(field)</c> placeholders.</summary>
    public string Description { get; internal set; } = "";

    /// <summary>Its groups, in order (the group string split on commas, once the ruleset is loaded).</summary>
    public IReadOnlyList<string> Groups { get; private set; } = [];

    /// <summary>MITRE ATT&amp;CK technique ids.</summary>
    public IReadOnlyList<string> Mitre { get; internal set; } = [];

    /// <summary><c>noalert</c>: the rule never wins (its children may).</summary>
    public bool NoAlert { get; internal set; }

    /// <summary>The <c>options</c> given (no_full_log, no_counter, ...).</summary>
    public IReadOnlyList<string> Options { get; internal set; } = [];

    /// <summary>The frequency as written (0 when none).</summary>
    public int Frequency => StoredFrequency == 0 && EventSearch == EventSearch.None ? 0 : StoredFrequency + 2;

    internal string GroupString { get; set; } = "";

    internal string? Category { get; set; }

    internal string? DecodedAs { get; set; }

    internal Dictionary<RuleField, FieldCheck> Checks { get; set; } = [];

    internal List<(string Name, FieldCheck Check)> DynamicChecks { get; set; } = [];

    internal (IpList List, bool Negate)? SrcIp { get; set; }

    internal (IpList List, bool Negate)? DstIp { get; set; }

    internal int MaxSize { get; set; }

    internal TimeWindow? Time { get; set; }

    internal DaysOfWeek? Weekday { get; set; }

    internal List<ListLookup> Lists { get; set; } = [];

    internal string? IfSid { get; set; }

    internal string? IfGroup { get; set; }

    internal string? IfLevel { get; set; }

    internal int? IfMatchedSid { get; set; }

    internal string? IfMatchedGroup { get; set; }

    internal OsRegex? IfMatchedRegex { get; set; }

    /// <summary>Wazuh's stored frequency: the attribute less two.</summary>
    internal int StoredFrequency { get; set; }

    internal int Timeframe { get; set; } = 360;

    internal int IgnoreSeconds { get; set; }

    internal bool Overwrite { get; set; }

    internal bool GlobalFrequency { get; set; }

    internal CorrelatedField Same { get; set; }

    internal CorrelatedField Different { get; set; }

    internal List<string> SameFields { get; set; } = [];

    internal List<string> DifferentFields { get; set; } = [];

    internal bool HasContext { get; set; }

    /// <summary>The same_* and different_* fields, one flag each.</summary>
    internal CorrelatedField[] CorrelatedFlags { get; private set; } = [];

    internal bool CheckDiff { get; set; }

    internal string? CompiledRule { get; set; }

    internal bool IfFts { get; set; }

    internal EventSearch EventSearch { get; set; }

    /// <summary>Whether some rule's <c>if_matched_sid</c> names this rule: its events are kept for it.</summary>
    internal bool KeepsSidList { get; set; }

    /// <summary>The rules whose <c>if_matched_group</c> matched this rule's groups at load: its events go to their lists.</summary>
    internal List<Rule> GroupListOwners { get; } = [];

    /// <summary>The internal priority Wazuh sorts siblings by (level × 100, level 0 as 9900).</summary>
    internal int Priority => (Level == 0 ? 99 : Level) * 100;

    /// <summary>
    /// <c>overwrite="yes"</c>: takes <paramref name="other"/>'s contents, keeping this rule's place in the tree
    /// (<c>if_sid</c>, <c>if_group</c>, <c>if_level</c>), its <c>if_matched_*</c> and the correlation wiring.
    /// </summary>
    internal void OverwriteWith(Rule other)
    {
        (File, Line, Level, Description, GroupString, Mitre, NoAlert, Options) =
            (other.File, other.Line, other.Level, other.Description, other.GroupString, other.Mitre, other.NoAlert, other.Options);
        (Category, DecodedAs, Checks, DynamicChecks, SrcIp, DstIp, MaxSize, Time, Weekday, Lists) =
            (other.Category ?? Category, other.DecodedAs, other.Checks, other.DynamicChecks, other.SrcIp, other.DstIp, other.MaxSize, other.Time, other.Weekday, other.Lists);
        (IfMatchedRegex, StoredFrequency, Timeframe, IgnoreSeconds, GlobalFrequency, Same, Different, SameFields, DifferentFields) =
            (other.IfMatchedRegex, other.StoredFrequency, other.Timeframe, other.IgnoreSeconds, other.GlobalFrequency, other.Same, other.Different, other.SameFields, other.DifferentFields);
        (HasContext, CheckDiff, CompiledRule, IfFts) = (other.HasContext, other.CheckDiff, other.CompiledRule, other.IfFts);
    }

    /// <summary>Computes what evaluation reads often, once the ruleset is loaded.</summary>
    internal void Freeze()
    {
        Groups = [.. GroupString.Split(',', StringSplitOptions.RemoveEmptyEntries)];
        CorrelatedFlags = [.. Enum.GetValues<CorrelatedField>().Where(f => f != CorrelatedField.None && ((Same | Different) & f) != 0)];
        SameFlags = [.. Enum.GetValues<CorrelatedField>().Where(f => f != CorrelatedField.None && (Same & f) != 0)];
        FieldChecks = new FieldCheck?[Enum.GetValues<RuleField>().Length];
        foreach (var (field, check) in Checks)
        {
            FieldChecks[(int)field] = check;
        }
    }

    /// <summary>The pattern checks by <see cref="RuleField"/> (null where the rule has none).</summary>
    internal FieldCheck?[] FieldChecks { get; private set; } = [];

    /// <summary>The same_* fields, one flag each (for grouping earlier events by them).</summary>
    internal CorrelatedField[] SameFlags { get; private set; } = [];

    /// <inheritdoc />
    public override string ToString() => $"{Id} ({Level})";
}
