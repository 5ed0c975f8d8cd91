using System.Globalization;
using Spbe.Security.Soc.Decoding;
using Spbe.Security.Soc.Ruleset;

namespace Spbe.Security.Soc.Rules;

/// <summary>
/// Loads Wazuh rule files in order into the rule tree, as analysisd builds it: rules below id 10 are the top level
/// (one per category), a rule without <c>if_*</c> goes under the first of its category, <c>if_sid</c>,
/// <c>if_level</c> and <c>if_group</c> attach a rule under every rule loaded before that qualifies, siblings are
/// ordered by level (level 0 first), <c>overwrite="yes"</c> replaces a rule's contents in place. Wazuh rejects a whole
/// file at its first error; here a bad rule is reported with its file and line and skipped, and the rest loads.
/// </summary>
public static class RuleLoader
{
    private static readonly string[] Categories = ["firewall", "ids", "syslog", "web-log", "squid", "windows", "ossec"];

    private static readonly Dictionary<string, RuleField> PatternElements = new(StringComparer.OrdinalIgnoreCase)
    {
        ["match"] = RuleField.Match, ["regex"] = RuleField.Regex, ["program_name"] = RuleField.ProgramName, ["id"] = RuleField.Id,
        ["system_name"] = RuleField.SystemName, ["protocol"] = RuleField.Protocol, ["action"] = RuleField.Action, ["url"] = RuleField.Url,
        ["location"] = RuleField.Location, ["srcport"] = RuleField.SrcPort, ["dstport"] = RuleField.DstPort, ["user"] = RuleField.User,
        ["srcgeoip"] = RuleField.SrcGeoIp, ["dstgeoip"] = RuleField.DstGeoIp, ["data"] = RuleField.Data, ["extra_data"] = RuleField.ExtraData,
        ["hostname"] = RuleField.Hostname, ["status"] = RuleField.Status,
    };

    private static readonly Dictionary<string, (CorrelatedField Field, bool Same)> Correlations = new(StringComparer.Ordinal)
    {
        ["same_source_ip"] = (CorrelatedField.SrcIp, true), ["same_srcip"] = (CorrelatedField.SrcIp, true), ["same_dstip"] = (CorrelatedField.DstIp, true),
        ["same_src_port"] = (CorrelatedField.SrcPort, true), ["same_srcport"] = (CorrelatedField.SrcPort, true),
        ["same_dst_port"] = (CorrelatedField.DstPort, true), ["same_dstport"] = (CorrelatedField.DstPort, true),
        ["same_srcuser"] = (CorrelatedField.SrcUser, true), ["same_user"] = (CorrelatedField.DstUser, true),
        ["same_protocol"] = (CorrelatedField.Protocol, true), ["same_action"] = (CorrelatedField.Action, true), ["same_id"] = (CorrelatedField.Id, true),
        ["same_url"] = (CorrelatedField.Url, true), ["same_data"] = (CorrelatedField.Data, true), ["same_extra_data"] = (CorrelatedField.ExtraData, true),
        ["same_status"] = (CorrelatedField.Status, true), ["same_system_name"] = (CorrelatedField.SystemName, true),
        ["same_srcgeoip"] = (CorrelatedField.SrcGeoIp, true), ["same_dstgeoip"] = (CorrelatedField.DstGeoIp, true), ["same_location"] = (CorrelatedField.Location, true),
        ["different_srcip"] = (CorrelatedField.SrcIp, false), ["not_same_source_ip"] = (CorrelatedField.SrcIp, false),
        ["different_dstip"] = (CorrelatedField.DstIp, false), ["different_src_port"] = (CorrelatedField.SrcPort, false),
        ["different_srcport"] = (CorrelatedField.SrcPort, false), ["different_dst_port"] = (CorrelatedField.DstPort, false),
        ["different_dstport"] = (CorrelatedField.DstPort, false), ["different_protocol"] = (CorrelatedField.Protocol, false),
        ["different_action"] = (CorrelatedField.Action, false), ["different_id"] = (CorrelatedField.Id, false), ["not_same_id"] = (CorrelatedField.Id, false),
        ["different_url"] = (CorrelatedField.Url, false), ["different_data"] = (CorrelatedField.Data, false),
        ["different_extra_data"] = (CorrelatedField.ExtraData, false), ["different_status"] = (CorrelatedField.Status, false),
        ["different_system_name"] = (CorrelatedField.SystemName, false), ["different_srcgeoip"] = (CorrelatedField.SrcGeoIp, false),
        ["different_dstgeoip"] = (CorrelatedField.DstGeoIp, false), ["different_srcuser"] = (CorrelatedField.SrcUser, false),
        ["different_user"] = (CorrelatedField.DstUser, false), ["not_same_user"] = (CorrelatedField.DstUser, false),
        ["different_location"] = (CorrelatedField.Location, false),
    };

    /// <summary>Decoders built into analysisd (file integrity, rootcheck, inventory, ...): rules name them, events from our
    /// sources never come from them.</summary>
    private static readonly string[] InternalDecoders =
    [
        "rootcheck", "syscheck_integrity_changed", "syscheck_deleted", "syscheck_new_entry", "syscheck_registry_key_modified",
        "syscheck_registry_key_deleted", "syscheck_registry_key_added", "syscheck_registry_value_modified", "syscheck_registry_value_deleted",
        "syscheck_registry_value_added", "hostinfo_modified", "hostinfo_new", "syscollector", "ciscat", "sca", "windows_eventchannel", "dbsync",
        "upgrade", "task_manager", "yara",
    ];

    private static readonly string[] OptionNames = ["alert_by_email", "no_email_alert", "log_alert", "no_log", "no_ar", "no_full_log", "no_counter"];

    /// <summary>Loads <paramref name="files"/> (paths, in load order) against <paramref name="decoders"/>, with the CDB lists
    /// in <paramref name="lists"/> (by file name); problems go to <paramref name="problems"/>.</summary>
    public static RuleSet Load(IEnumerable<string> files, DecoderSet decoders, IReadOnlyDictionary<string, CdbList> lists, ICollection<RulesetProblem> problems,
        TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(decoders);
        ArgumentNullException.ThrowIfNull(lists);
        ArgumentNullException.ThrowIfNull(problems);
        var decoderNames = decoders.WithProgramName.Concat(decoders.WithoutProgramName)
            .SelectMany(d => d.Children.Prepend(d)).Select(d => d.Name).Concat(InternalDecoders).ToHashSet(StringComparer.Ordinal);
        var tree = new List<RuleNode>();
        var byId = new Dictionary<int, Rule>();
        foreach (var path in files)
        {
            var file = Path.GetFileName(path);
            if (RulesetXml.ReadFile(path, problems) is not { } roots)
            {
                continue;
            }

            foreach (var group in roots)
            {
                if (!string.Equals(group.Name, "group", StringComparison.OrdinalIgnoreCase) || group.Attribute("name") is not { } groupName)
                {
                    problems.Add(new RulesetProblem(file, group.Line, $"<{group.Name}> where <group name=...> was expected"));
                    continue;
                }

                foreach (var element in group.Children)
                {
                    try
                    {
                        var rule = Read(element, groupName, file, decoderNames, lists);
                        if (rule is not null)
                        {
                            Place(rule, tree, byId, problems);
                        }
                    }
                    catch (FormatException ex)
                    {
                        problems.Add(new RulesetProblem(file, element.Line, ex.Message));
                    }
                }
            }
        }

        return new RuleSet(tree, byId) { Zone = zone };
    }

    private static Rule? Read(RulesetElement element, string groupName, string file, HashSet<string> decoders, IReadOnlyDictionary<string, CdbList> lists)
    {
        if (!string.Equals(element.Name, "rule", StringComparison.OrdinalIgnoreCase))
        {
            throw new FormatException($"<{element.Name}> where <rule> was expected");
        }

        string? Attr(string name) => element.Attributes.LastOrDefault(a => string.Equals(a.Key, name, StringComparison.OrdinalIgnoreCase)) is { Key: not null } a ? a.Value : null;
        if (Attr("id") is not { } idText || !int.TryParse(idText, NumberStyles.None, CultureInfo.InvariantCulture, out var id) || idText.Length > 6)
        {
            throw new FormatException("a rule needs a numeric id of at most 6 digits");
        }

        if (Attr("level") is not { } levelText || !int.TryParse(levelText, NumberStyles.None, CultureInfo.InvariantCulture, out var level) || level > 16)
        {
            throw new FormatException($"rule {id}: level must be 0 to 16");
        }

        var rule = new Rule(id, file, element.Line) { Level = level, GroupString = groupName };
        if (Attr("frequency") is { } frequency)
        {
            rule.StoredFrequency = int.TryParse(frequency, NumberStyles.None, CultureInfo.InvariantCulture, out var f) && f is >= 2 and <= 9999
                ? f - 2 : throw new FormatException($"rule {id}: frequency must be 2 to 9999");
        }

        if (Attr("timeframe") is { } timeframe)
        {
            rule.Timeframe = int.TryParse(timeframe, NumberStyles.None, CultureInfo.InvariantCulture, out var t) ? t : throw new FormatException($"rule {id}: bad timeframe");
        }

        if (Attr("ignore") is { } ignore)
        {
            rule.IgnoreSeconds = int.TryParse(ignore, NumberStyles.None, CultureInfo.InvariantCulture, out var s) ? s : throw new FormatException($"rule {id}: bad ignore");
        }

        if (Attr("maxsize") is { } maxsize)
        {
            rule.MaxSize = int.TryParse(maxsize, NumberStyles.None, CultureInfo.InvariantCulture, out var m) ? m : throw new FormatException($"rule {id}: bad maxsize");
        }

        rule.NoAlert = Attr("noalert") == "1";
        rule.Overwrite = Attr("overwrite") switch
        {
            null or "no" => false,
            "yes" => true,
            var other => throw new FormatException($"rule {id}: overwrite must be yes or no, not '{other}'"),
        };

        var texts = new Dictionary<RuleField, (string Text, PatternKind Kind, bool Negate)>();
        var description = "";
        var options = new List<string>();
        var mitre = new List<string>();
        IpList? srcIp = null;
        IpList? dstIp = null;
        var srcNegate = false;
        var dstNegate = false;
        if (element.Children.Count == 0)
        {
            throw new FormatException($"rule {id} has no elements");
        }

        foreach (var child in element.Children)
        {
            var name = child.Name;
            var lower = name.ToLowerInvariant();
            var negate = string.Equals(child.Attribute("negate"), "yes", StringComparison.OrdinalIgnoreCase);
            if (PatternElements.TryGetValue(name, out var field))
            {
                var defaultKind = field switch
                {
                    RuleField.Regex => PatternKind.OsRegex,
                    RuleField.Action => PatternKind.String,
                    _ => PatternKind.OsMatch,
                };
                var kind = child.Attribute("type") is { } type ? DecoderLoader.ParseKind(type, defaultKind) : defaultKind;
                texts[field] = (texts.TryGetValue(field, out var existing) ? existing.Text + child.Text : child.Text, kind, negate);
                continue;
            }

            if (Correlations.TryGetValue(name, out var correlation))
            {
                if (correlation.Same)
                {
                    rule.Same |= correlation.Field;
                }
                else
                {
                    rule.Different |= correlation.Field;
                }

                continue;
            }

            switch (lower)
            {
                case "decoded_as":
                    rule.DecodedAs = decoders.Contains(child.Text) ? child.Text : throw new FormatException($"rule {id}: decoded_as names no decoder ('{child.Text}')");
                    break;
                case "category":
                    rule.Category = Categories.Contains(child.Text, StringComparer.Ordinal) ? child.Text : throw new FormatException($"rule {id}: invalid category '{child.Text}'");
                    break;
                case "field":
                    var fieldName = child.Attribute("name") ?? throw new FormatException($"rule {id}: <field> needs a name");
                    var fieldKind = child.Attribute("type") is { } ft ? DecoderLoader.ParseKind(ft, PatternKind.OsRegex) : PatternKind.OsRegex;
                    rule.DynamicChecks.Add((fieldName, new FieldCheck(Compile(child.Text, fieldKind, id), negate)));
                    break;
                case "srcip":
                    srcIp ??= new IpList();
                    srcNegate = negate;
                    if (!IpList.TryAdd(srcIp, child.Text))
                    {
                        throw new FormatException($"rule {id}: invalid srcip '{child.Text}'");
                    }

                    break;
                case "dstip":
                    dstIp ??= new IpList();
                    dstNegate = negate;
                    if (!IpList.TryAdd(dstIp, child.Text))
                    {
                        throw new FormatException($"rule {id}: invalid dstip '{child.Text}'");
                    }

                    break;
                case "time":
                    rule.Time = TimeWindow.Parse(child.Text) ?? throw new FormatException($"rule {id}: invalid time '{child.Text}'");
                    break;
                case "weekday":
                    rule.Weekday = DaysOfWeek.Parse(child.Text) ?? throw new FormatException($"rule {id}: invalid weekday '{child.Text}'");
                    break;
                case "list":
                    rule.Lists.Add(ReadList(child, id, lists));
                    break;
                case "if_sid":
                    rule.IfSid = (rule.IfSid ?? "") + child.Text;
                    break;
                case "if_group":
                    rule.IfGroup = (rule.IfGroup ?? "") + child.Text;
                    break;
                case "if_level":
                    rule.IfLevel = (rule.IfLevel ?? "") + child.Text;
                    break;
                case "if_matched_sid":
                    rule.IfMatchedSid = int.TryParse(child.Text, NumberStyles.None, CultureInfo.InvariantCulture, out var matched) ? matched
                        : throw new FormatException($"rule {id}: invalid if_matched_sid '{child.Text}'");
                    rule.HasContext = true;
                    break;
                case "if_matched_group":
                    rule.IfMatchedGroup = (rule.IfMatchedGroup ?? "") + child.Text;
                    rule.HasContext = true;
                    break;
                case "if_matched_regex":
                    rule.IfMatchedRegex = OsRegex.TryCompile(child.Text, out var r, out var re) ? r : throw new FormatException($"rule {id}: if_matched_regex: {re}");
                    rule.HasContext = true;
                    break;
                case "same_field":
                    rule.SameFields.Add(child.Text);
                    break;
                case "different_field" or "not_same_field":
                    rule.DifferentFields.Add(child.Text);
                    break;
                case "global_frequency":
                    rule.GlobalFrequency = true;
                    break;
                case "description":
                    var text = child.Text;
                    var newline = text.IndexOf('\n', StringComparison.Ordinal);
                    description += newline < 0 ? text : text[..newline] + " " + text[(newline + 1)..];
                    break;
                case "group":
                    rule.GroupString += child.Text;
                    break;
                case "options":
                    options.Add(OptionNames.Contains(child.Text, StringComparer.Ordinal) ? child.Text : throw new FormatException($"rule {id}: invalid option '{child.Text}'"));
                    break;
                case "mitre":
                    mitre.AddRange(child.Children.Where(c => string.Equals(c.Name, "id", StringComparison.OrdinalIgnoreCase) || string.Equals(c.Name, "techniqueID", StringComparison.OrdinalIgnoreCase))
                        .Select(c => c.Text.Trim()));
                    break;
                case "check_diff":
                    // Note: the previous output of the same rule and host would be compared; not kept here, so the rule
                    // never matches (Wazuh's first event of a check_diff rule does not match either).
                    rule.HasContext = true;
                    rule.CheckDiff = true;
                    break;
                case "compiled_rule":
                    rule.CompiledRule = CompiledRules.Names.Contains(child.Text, StringComparer.Ordinal) ? child.Text
                        : throw new FormatException($"rule {id}: unknown compiled_rule '{child.Text}'");
                    break;
                case "info" or "cve" or "ignore" or "check_if_ignored" or "if_fts" or "same_agent" or "not_same_agent":
                    if (lower == "if_fts")
                    {
                        rule.IfFts = true;
                    }

                    break;
                default:
                    throw new FormatException($"rule {id}: invalid element <{name}>");
            }
        }

        foreach (var (field, (text, kind, negate)) in texts)
        {
            rule.Checks[field] = new FieldCheck(Compile(text, kind, id), negate);
        }

        if (srcIp is not null)
        {
            rule.SrcIp = (srcIp, srcNegate);
        }

        if (dstIp is not null)
        {
            rule.DstIp = (dstIp, dstNegate);
        }

        if (description.Length == 0)
        {
            throw new FormatException($"rule {id} has no description");
        }

        rule.Description = description;
        rule.Options = options;
        rule.Mitre = [.. mitre.Distinct(StringComparer.Ordinal)];
        if ((rule.StoredFrequency != 0 || rule.Same != CorrelatedField.None || rule.Different != CorrelatedField.None || rule.SameFields.Count > 0
            || rule.DifferentFields.Count > 0 || rule.GlobalFrequency) && !rule.HasContext)
        {
            throw new FormatException($"rule {id}: frequency and same_/different_ options need if_matched_sid, if_matched_group or if_matched_regex");
        }

        if (rule.IfSid is { } ifSid && ifSid.Any(c => !char.IsAsciiDigit(c) && c is not (',' or ' ')))
        {
            throw new FormatException($"rule {id}: if_sid must be rule ids separated by commas ('{ifSid}')");
        }

        if (!rule.Overwrite)
        {
            if (rule.IfMatchedGroup is { } g && rule.IfSid is null && rule.IfGroup is null)
            {
                rule.IfGroup = g;
            }

            if (rule.IfMatchedSid is { } s && rule.IfSid is null && rule.IfGroup is null)
            {
                rule.IfSid = s.ToString(CultureInfo.InvariantCulture);
            }
        }

        return rule;
    }

    private static ListLookup ReadList(RulesetElement child, int id, IReadOnlyDictionary<string, CdbList> lists)
    {
        var field = child.Attribute("field") ?? throw new FormatException($"rule {id}: <list> needs a field");
        var lookup = child.Attribute("lookup") ?? "match_key";
        if (!ListLookup.Lookups.Contains(lookup, StringComparer.Ordinal))
        {
            throw new FormatException($"rule {id}: invalid list lookup '{lookup}'");
        }

        var check = child.Attribute("check_value") is { } cv ? OsMatch.Compile(cv) : null;
        // Note: rules name lists by their installed path (etc/lists/amazon/aws-eventnames); they are looked up by the
        // part after "lists/".
        var path = child.Text.Trim();
        var at = path.LastIndexOf("lists/", StringComparison.Ordinal);
        var name = at >= 0 ? path[(at + 6)..] : Path.GetFileName(path);
        if (name.EndsWith(".cdb", StringComparison.Ordinal))
        {
            name = name[..^4];
        }

        return lists.TryGetValue(name, out var list) ? new ListLookup(field, lookup, check, list)
            : throw new FormatException($"rule {id}: list '{child.Text}' is not loaded");
    }

    private static Pattern Compile(string text, PatternKind kind, int id) =>
        Pattern.TryCompile(text, kind, out var error) ?? throw new FormatException($"rule {id}: '{text}' does not compile: {error}");

    private static void Place(Rule rule, List<RuleNode> tree, Dictionary<int, Rule> byId, ICollection<RulesetProblem> problems)
    {
        void Warn(string message) => problems.Add(new RulesetProblem(rule.File, rule.Line, message));

        if (byId.TryGetValue(rule.Id, out var existing))
        {
            if (!rule.Overwrite)
            {
                Warn($"rule {rule.Id} is defined again; the first one stays");
                return;
            }

            existing.OverwriteWith(rule);
            return;
        }

        rule.Overwrite = false;
        var node = new RuleNode(rule);
        if (rule.Id < 10)
        {
            rule.Category ??= "syslog";
            RuleNode.Insert(tree, node);
        }
        else if (rule.IfSid is { } ifSid)
        {
            var attached = 0;
            foreach (var sid in ifSid.Split([',', ' '], StringSplitOptions.RemoveEmptyEntries).Select(s => int.Parse(s, CultureInfo.InvariantCulture)))
            {
                // Note: a rule naming itself after another of its ids finds its own new place (91821 in the stock set).
                var parent = sid == rule.Id ? rule : byId.GetValueOrDefault(sid);
                var count = parent is null ? 0 : AttachBySid(tree, parent, rule);
                if (count == 0)
                {
                    if (rule.IfMatchedSid is not null)
                    {
                        Warn($"rule {rule.Id}: if_matched_sid {sid} is not a rule loaded before it");
                        return;
                    }

                    Warn($"rule {rule.Id}: if_sid {sid} is not a rule loaded before it");
                }

                attached += count;
            }

            if (attached == 0)
            {
                return;
            }
        }
        else if (rule.IfLevel is { } ifLevel)
        {
            if (!int.TryParse(ifLevel, NumberStyles.None, CultureInfo.InvariantCulture, out var level) || level == 0)
            {
                Warn($"rule {rule.Id}: invalid if_level '{ifLevel}'");
                return;
            }

            if (AttachWhere(tree, [.. byId.Values.Where(r => r.Priority >= level * 100 && r.Id != rule.Id)], rule) == 0)
            {
                Warn($"rule {rule.Id}: no rule of level {level} or more is loaded before it");
                return;
            }
        }
        else if (rule.IfGroup is { } ifGroup)
        {
            var inGroup = WordMatch(ifGroup);
            if (AttachWhere(tree, [.. byId.Values.Where(r => inGroup(r.GroupString) && r.Id != rule.Id)], rule) == 0)
            {
                Warn($"rule {rule.Id}: no rule of group '{ifGroup}' is loaded before it");
                return;
            }
        }
        else
        {
            var category = rule.Category ?? "syslog";
            if (tree.FirstOrDefault(n => n.Rule.Category == category) is not { } top)
            {
                Warn($"rule {rule.Id}: no top-level rule for category {category}");
                return;
            }

            top.Add(node);
        }

        byId[rule.Id] = rule;
        Wire(rule, byId);
    }

    /// <summary>Adds <paramref name="rule"/> under every node of <paramref name="parent"/> (in one sibling list, only
    /// under the first node that has it, as Wazuh does).</summary>
    private static int AttachBySid(List<RuleNode> siblings, Rule parent, Rule rule)
    {
        var count = 0;
        foreach (var node in siblings)
        {
            if (node.Rule == parent)
            {
                node.Add(new RuleNode(rule));
                return count + 1;
            }

            if (node.Below.Contains(parent))
            {
                count += AttachBySid(node.Children, parent, rule);
            }
        }

        return count;
    }

    /// <summary>Places <paramref name="rule"/> under every node of a rule in <paramref name="parents"/>, deepest
    /// first.</summary>
    private static int AttachWhere(List<RuleNode> siblings, HashSet<Rule> parents, Rule rule)
    {
        var count = 0;

        // Note: only the lists below siblings change meanwhile.
        foreach (var node in siblings)
        {
            if (parents.Any(node.Below.Contains))
            {
                count += AttachWhere(node.Children, parents, rule);
            }

            if (parents.Contains(node.Rule))
            {
                node.Add(new RuleNode(rule));
                count++;
            }
        }

        return count;
    }

    /// <summary>Correlation wiring: which earlier events the rule searches, and which rules keep events for it.</summary>
    private static void Wire(Rule rule, Dictionary<int, Rule> byId)
    {
        if (rule.IfMatchedSid is { } sid)
        {
            rule.EventSearch = EventSearch.Sids;
            if (byId.TryGetValue(sid, out var target))
            {
                target.KeepsSidList = true;
            }
        }
        else if (rule.IfMatchedGroup is { } group)
        {
            rule.EventSearch = EventSearch.Groups;
            var pattern = OsMatch.Compile(group);
            foreach (var other in byId.Values.Where(r => pattern.IsMatch(r.GroupString)))
            {
                other.GroupListOwners.Add(rule);
            }
        }
        else if (rule.IfMatchedRegex is not null)
        {
            rule.EventSearch = EventSearch.Events;
        }
    }

    /// <summary>Wazuh's group test: any '|' alternative found in the group string without ASCII case ('^' at its start
    /// means at the start of the string).</summary>
    internal static Func<string, bool> WordMatch(string pattern)
    {
        var alternatives = pattern.Split('|', StringSplitOptions.RemoveEmptyEntries)
            .Select(a => (Text: a[0] == '^' ? a[1..] : a, AtStart: a[0] == '^')).ToArray();
        return groups => alternatives.Any(a => a.AtStart
            ? groups.StartsWith(a.Text, StringComparison.OrdinalIgnoreCase)
            : groups.Contains(a.Text, StringComparison.OrdinalIgnoreCase));
    }
}
