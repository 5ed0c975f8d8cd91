using Spbe.Security.Soc.Ruleset;

namespace Spbe.Security.Soc.Decoding;

/// <summary>
/// Loads Wazuh decoder files in the order given (Wazuh's stock set, then custom files). Wazuh stops at the first bad
/// decoder; here a bad decoder or file is reported with its file and line, and everything else loads.
/// </summary>
public static class DecoderLoader
{
    private static readonly string[] Types = ["firewall", "ids", "web-log", "syslog", "squid", "windows", "host-information", "ossec"];

    /// <summary>Loads <paramref name="files"/> (paths, in load order); problems go to <paramref name="problems"/>.</summary>
    public static DecoderSet Load(IEnumerable<string> files, ICollection<RulesetProblem> problems)
    {
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(problems);
        var withProgramName = new List<Decoder>();
        var withoutProgramName = new List<Decoder>();
        var children = new List<Decoder>();
        foreach (var path in files)
        {
            var file = Path.GetFileName(path);
            if (RulesetXml.ReadFile(path, problems) is not { } roots)
            {
                continue;
            }

            foreach (var element in roots)
            {
                try
                {
                    var decoder = Read(element, file);
                    Add(decoder, withProgramName, withoutProgramName);
                    if (decoder.Plugin is { } plugin && !PluginDecoders.Implemented.Contains(plugin))
                    {
                        // Note: said, not silent: the decoder still takes its events (so rules decoded_as it run), without fields.
                        problems.Add(new RulesetProblem(file, element.Line, $"decoder '{decoder.OwnName}': plugin_decoder {plugin} is not implemented; the decoder takes its events but sets no fields"));
                    }
                    if (decoder.Parent is not null)
                    {
                        children.Add(decoder);
                    }
                }
                catch (FormatException ex)
                {
                    problems.Add(new RulesetProblem(file, element.Line, ex.Message));
                }
            }
        }

        // Note: a child reports its parent's name unless it says use_own_name (rules' decoded_as and logtest see that).
        foreach (var child in children.Where(c => !c.UseOwnName))
        {
            child.Name = child.Parent!;
        }

        return new DecoderSet(withProgramName, withoutProgramName);
    }

    private static Decoder Read(RulesetElement element, string file)
    {
        if (!string.Equals(element.Name, "decoder", StringComparison.OrdinalIgnoreCase))
        {
            throw new FormatException($"<{element.Name}> where <decoder> was expected");
        }

        var name = element.Attributes.FirstOrDefault(a => string.Equals(a.Key, "name", StringComparison.OrdinalIgnoreCase)).Value;
        if (string.IsNullOrEmpty(name))
        {
            throw new FormatException("a decoder needs a name");
        }

        if (element.Attributes.Any(a => !string.Equals(a.Key, "name", StringComparison.OrdinalIgnoreCase) && !string.Equals(a.Key, "status", StringComparison.OrdinalIgnoreCase)))
        {
            throw new FormatException($"decoder '{name}': only the attributes name and status are allowed");
        }

        var d = new Decoder(name, file, element.Line);
        var texts = new Dictionary<string, (string Text, PatternKind Kind, DecoderOffset? Offset)>(StringComparer.Ordinal);
        void Append(string key, RulesetElement e, PatternKind defaultKind)
        {
            var kind = e.Attribute("type") is { } type ? ParseKind(type, defaultKind) : defaultKind;
            var offset = e.Attribute("offset") is { } o ? ParseOffset(o, name) : (DecoderOffset?)null;
            if (texts.TryGetValue(key, out var existing))
            {
                if (offset is not null && existing.Offset is not null)
                {
                    throw new FormatException($"decoder '{name}': only the first <{key}> may have an offset");
                }

                texts[key] = (existing.Text + e.Text, kind, existing.Offset ?? offset);
            }
            else
            {
                texts[key] = (e.Text, kind, offset);
            }
        }

        foreach (var child in element.Children)
        {
            switch (child.Name.ToLowerInvariant())
            {
                case "parent":
                    d.Parent = (d.Parent ?? "") + child.Text;
                    break;
                case "prematch":
                    Append("prematch", child, PatternKind.OsRegex);
                    break;
                case "regex":
                    Append("regex", child, PatternKind.OsRegex);
                    break;
                case "program_name":
                    d.HasProgramNameElement = true;
                    Append("program_name", child, PatternKind.OsMatch);
                    break;
                case "order":
                    d.Order = ParseOrder(child.Text, name);
                    break;
                case "fts":
                    d.Fts = [.. child.Text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)];
                    break;
                case "ftscomment":
                    d.FtsComment = (d.FtsComment ?? "") + child.Text;
                    break;
                case "use_own_name":
                    d.UseOwnName |= child.Text == "true";
                    break;
                case "plugin_decoder":
                    if (!PluginDecoders.Known.Contains(child.Text))
                    {
                        throw new FormatException($"decoder '{name}': unknown plugin_decoder '{child.Text}'");
                    }

                    d.Plugin = child.Text;
                    d.PluginOffset = child.Attribute("offset") is { } po ? ParseOffset(po, name) : DecoderOffset.None;
                    break;
                case "type" when child.Name == "type":
                    d.Type = Types.Contains(child.Text) ? child.Text : throw new FormatException($"decoder '{name}': invalid type '{child.Text}'");
                    break;
                case "accumulate":
                    break;
                case "json_null_field":
                    d.JsonNullDiscard = string.Equals(child.Text, "discard", StringComparison.OrdinalIgnoreCase);
                    break;
                case "json_array_structure":
                    d.JsonArrayCsv = string.Equals(child.Text, "csv", StringComparison.OrdinalIgnoreCase);
                    break;
                default:
                    throw new FormatException($"decoder '{name}': invalid element <{child.Name}>");
            }
        }

        if (texts.TryGetValue("prematch", out var prematch))
        {
            d.Prematch = Compile(prematch.Text, prematch.Kind, name, "prematch");
            d.PrematchOffset = prematch.Offset ?? DecoderOffset.None;
        }

        if (texts.TryGetValue("regex", out var regex))
        {
            d.Regex = Compile(regex.Text, regex.Kind, name, "regex");
            d.RegexOffset = regex.Offset ?? DecoderOffset.None;
        }

        if (texts.TryGetValue("program_name", out var program))
        {
            d.ProgramName = Compile(program.Text, program.Kind, name, "program_name");
        }

        Validate(d);
        return d;
    }

    private static void Validate(Decoder d)
    {
        var name = d.OwnName;
        if (d.Prematch is null && d.Parent is null && !d.HasProgramNameElement)
        {
            throw new FormatException($"decoder '{name}' needs a prematch, a parent or a program_name");
        }

        if (d.Regex is not null && d.Order.Count == 0)
        {
            throw new FormatException($"decoder '{name}': a regex needs an order");
        }

        if (d.Regex is null && (d.Order.Count > 0 || d.Fts.Count > 0))
        {
            throw new FormatException($"decoder '{name}': order and fts need a regex");
        }

        if (d.RegexOffset == DecoderOffset.AfterParent && d.Parent is null)
        {
            throw new FormatException($"decoder '{name}': offset after_parent needs a parent");
        }

        if (d.RegexOffset == DecoderOffset.AfterPrematch && d.Parent is null)
        {
            // Note: a top-level decoder's "after its prematch" is what Wazuh calls after_parent there.
            d.RegexOffset = DecoderOffset.AfterParent;
        }
        else if (d.RegexOffset == DecoderOffset.AfterPrematch && d.Prematch is null)
        {
            throw new FormatException($"decoder '{name}': offset after_prematch needs a prematch");
        }

        if (d.RegexOffset == DecoderOffset.AfterRegex && (d.Parent is null || d.Regex is null))
        {
            throw new FormatException($"decoder '{name}': offset after_regex needs a parent and a regex");
        }

        if (d.PrematchOffset is not (DecoderOffset.None or DecoderOffset.AfterParent) || (d.PrematchOffset == DecoderOffset.AfterParent && d.Parent is null))
        {
            throw new FormatException($"decoder '{name}': a prematch offset can only be after_parent, with a parent");
        }

        if (d.Plugin is not null && (d.Regex is not null || d.Order.Count > 0))
        {
            throw new FormatException($"decoder '{name}': a plugin_decoder cannot have a regex or order");
        }
    }

    private static void Add(Decoder d, List<Decoder> withProgramName, List<Decoder> withoutProgramName)
    {
        if (d.Parent is null)
        {
            (d.HasProgramNameElement ? withProgramName : withoutProgramName).Add(d);
            return;
        }

        // Note: a parent must be a top-level decoder loaded earlier; the child goes under every one of that name.
        var parents = withProgramName.Concat(withoutProgramName).Where(p => string.Equals(p.OwnName, d.Parent, StringComparison.Ordinal)).ToList();
        if (parents.Count == 0)
        {
            throw new FormatException($"decoder '{d.OwnName}': parent '{d.Parent}' is not a top-level decoder loaded before it");
        }

        foreach (var parent in parents)
        {
            AddChild(parent.Children, d);
        }
    }

    private static void AddChild(List<Decoder> siblings, Decoder d)
    {
        var previousMatches = false;
        foreach (var existing in siblings.Where(s => string.Equals(s.OwnName, d.OwnName, StringComparison.Ordinal)))
        {
            if ((existing.Prematch is not null || existing.Regex is not null) && d.RegexOffset != DecoderOffset.None)
            {
                previousMatches = true;
            }

            if (d.Prematch is not null)
            {
                throw new FormatException($"decoder '{d.OwnName}': only the first of same-named siblings may have a prematch");
            }

            if (d.Fts.Count > 0)
            {
                throw new FormatException($"decoder '{d.OwnName}': only the first of same-named siblings may have fts");
            }

            if ((existing.Regex is not null || existing.Plugin is not null) && (d.Regex is not null || d.Plugin is not null))
            {
                existing.GetNext = true;
            }
            else
            {
                throw new FormatException($"decoder '{d.OwnName}' is defined twice under '{d.Parent}' without a regex or plugin in both");
            }
        }

        if (d.RegexOffset == DecoderOffset.AfterRegex && !previousMatches)
        {
            throw new FormatException($"decoder '{d.OwnName}': offset after_regex needs an earlier sibling of the same name");
        }

        siblings.Add(d);
    }

    private static Pattern Compile(string text, PatternKind kind, string decoder, string element) =>
        Pattern.TryCompile(text, kind, out var error) ?? throw new FormatException($"decoder '{decoder}': <{element}> '{text}' does not compile: {error}");

    internal static PatternKind ParseKind(string type, PatternKind defaultKind) => type.ToLowerInvariant() switch
    {
        "osregex" => PatternKind.OsRegex,
        "osmatch" => PatternKind.OsMatch,
        "pcre2" => PatternKind.Pcre2,
        _ => defaultKind,
    };

    private static DecoderOffset ParseOffset(string offset, string decoder) => offset switch
    {
        "after_parent" => DecoderOffset.AfterParent,
        "after_prematch" => DecoderOffset.AfterPrematch,
        "after_regex" => DecoderOffset.AfterRegex,
        _ => throw new FormatException($"decoder '{decoder}': invalid offset '{offset}'"),
    };

    private static List<string> ParseOrder(string text, string decoder)
    {
        var names = new List<string>();
        foreach (var part in text.Split(','))
        {
            var entry = part.TrimStart();
            var space = entry.IndexOf(' ', StringComparison.Ordinal);
            entry = space >= 0 ? entry[..space] : entry;
            if (entry.Length == 0)
            {
                throw new FormatException($"decoder '{decoder}': empty name in <order>");
            }

            names.Add(entry);
        }

        return names;
    }
}
