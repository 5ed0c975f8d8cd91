using System.Text.Json;
using Spbe.Security.Soc.Decoding;
using Spbe.Security.Soc.Rules;

namespace Spbe.Security.Soc.Ruleset;

/// <summary>What logtest found for one line.</summary>
public sealed record LogtestResult(string Session, AnalysisEvent Event, RuleMatch? Match)
{
    /// <summary>The fields as logtest shows them: static fields that are set, then dynamic fields (the first of a name,
    /// not empty), sorted by name.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Data()
    {
        var data = new SortedDictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < StaticFields.Names.Length; i++)
        {
            if (Event[(StaticField)i] is { } value)
            {
                data[StaticFields.Names[i]] = value;
            }
        }

        foreach (var (key, value) in Event.DynamicFields)
        {
            if (value.Length > 0)
            {
                data.TryAdd(key, value);
            }
        }

        return [.. data];
    }

    /// <summary>Writes the result as one JSON object (the <c>--json</c> form of <c>spbe logtest</c>).</summary>
    public void WriteJson(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteString("session", Session);
        writer.WriteStartObject("predecoder");
        WriteIfSet(writer, "timestamp", Event.Timestamp);
        WriteIfSet(writer, "hostname", Event.Hostname);
        WriteIfSet(writer, "program_name", Event.ProgramName);
        writer.WriteEndObject();
        if (Event.Decoder is { } decoder)
        {
            writer.WriteStartObject("decoder");
            writer.WriteString("name", decoder.Name);
            WriteIfSet(writer, "parent", decoder.Parent);
            writer.WriteEndObject();
        }
        else
        {
            writer.WriteNull("decoder");
        }

        writer.WriteStartObject("data");
        foreach (var (key, value) in Data())
        {
            writer.WriteString(key, value);
        }

        writer.WriteEndObject();
        if (Match is { } match)
        {
            writer.WriteStartObject("rule");
            writer.WriteString("id", match.Rule.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
            writer.WriteNumber("level", match.Rule.Level);
            writer.WriteString("description", match.Description);
            writer.WriteStartArray("groups");
            foreach (var group in match.Rule.Groups)
            {
                writer.WriteStringValue(group);
            }

            writer.WriteEndArray();
            writer.WriteStartArray("mitre");
            foreach (var technique in match.Rule.Mitre)
            {
                writer.WriteStringValue(technique);
            }

            writer.WriteEndArray();
            writer.WriteNumber("firedtimes", match.FiredTimes);
            writer.WriteBoolean("alert", match.Alert);
            writer.WriteEndObject();
        }
        else
        {
            writer.WriteNull("rule");
        }

        writer.WriteEndObject();
    }

    /// <summary>The result as one line of JSON.</summary>
    public string ToJson()
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            WriteJson(writer);
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>Writes the result as wazuh-logtest prints it, with control characters of the log shown as escapes.</summary>
    public void WriteText(TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteLine("**Phase 1: Completed pre-decoding.");
        Line(writer, "full event", Event.FullLog);
        Line(writer, "timestamp", Event.Timestamp);
        Line(writer, "hostname", Event.Hostname);
        Line(writer, "program_name", Event.ProgramName);
        writer.WriteLine();
        writer.WriteLine("**Phase 2: Completed decoding.");
        if (Event.Decoder is { } decoder)
        {
            Line(writer, "name", decoder.Name);
            Line(writer, "parent", decoder.Parent);
            foreach (var (key, value) in Data())
            {
                Line(writer, key, value);
            }
        }
        else
        {
            writer.WriteLine("\tNo decoder matched.");
        }

        if (Match is { } match)
        {
            writer.WriteLine();
            writer.WriteLine("**Phase 3: Completed filtering (rules).");
            Line(writer, "id", match.Rule.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Line(writer, "level", match.Rule.Level.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Line(writer, "description", match.Description);
            Line(writer, "groups", "[" + string.Join(", ", match.Rule.Groups.Select(g => "'" + g + "'")) + "]");
            Line(writer, "firedtimes", match.FiredTimes.ToString(System.Globalization.CultureInfo.InvariantCulture));
            if (match.Rule.Mitre.Count > 0)
            {
                Line(writer, "mitre.id", "[" + string.Join(", ", match.Rule.Mitre.Select(g => "'" + g + "'")) + "]");
            }

            if (match.Alert)
            {
                writer.WriteLine("**Alert to be generated.");
            }
        }

        writer.WriteLine();
    }

    private static void WriteIfSet(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(name, value);
        }
    }

    private static void Line(TextWriter writer, string key, string? value)
    {
        if (value is not null)
        {
            writer.WriteLine($"\t{key}: '{Escape(value)}'");
        }
    }

    /// <summary>Log text is attacker input: control characters (terminal escapes among them) are shown as \xNN.</summary>
    public static string Escape(string text) =>
        text.Any(char.IsControl) ? string.Concat(text.Select(c => char.IsControl(c) ? $"\\x{(int)c:X2}" : c.ToString())) : text;
}
