namespace Spbe.Security.Soc.Rules;

/// <summary>
/// A Wazuh ruleset test file (<c>tests/*.ini</c>) read as Wazuh's runner reads it (Python 2's ConfigParser): sections
/// of <c>key = value</c>, keys in lower case, comment lines starting with <c>;</c> or <c>#</c>, a value cut at its first
/// <c>;</c> when a space comes before it, a key given again adding a line to its value. Each <c>log ...</c> key is one
/// run (its lines go through one fresh session); <c>pass</c> expects the last line to give the section's
/// <c>rule</c>, <c>alert</c> (level) and <c>decoder</c>, <c>fail</c> expects it not to.
/// </summary>
internal sealed record WazuhTestFile(string Name, IReadOnlyList<WazuhTestRun> Runs)
{
    public static WazuhTestFile Read(string path)
    {
        var runs = new List<WazuhTestRun>();
        string? section = null;
        var values = new List<(string Key, List<string> Lines)>();
        void Flush()
        {
            if (section is null)
            {
                return;
            }

            string Get(string key) => values.FirstOrDefault(v => v.Key == key).Lines is { } lines ? string.Join('\n', lines) : "";
            var expected = (Get("rule"), Get("alert"), Get("decoder"));
            foreach (var (key, lines) in values.Where(v => v.Key.StartsWith("log ", StringComparison.Ordinal)))
            {
                runs.Add(new WazuhTestRun(section, key, [.. lines.Where(l => l.Length > 0)], !key.EndsWith("fail", StringComparison.Ordinal), expected));
            }

            values.Clear();
        }

        string? lastKey = null;
        foreach (var raw in File.ReadLines(path))
        {
            if (raw.Length == 0 || raw.TrimStart().StartsWith(';') || raw.TrimStart().StartsWith('#'))
            {
                continue;
            }

            if (raw.StartsWith('['))
            {
                Flush();
                section = raw.Trim().TrimStart('[').TrimEnd(']');
                lastKey = null;
                continue;
            }

            if (char.IsWhiteSpace(raw[0]) && lastKey is not null && raw.Trim().Length > 0)
            {
                values.First(v => v.Key == lastKey).Lines[^1] += "\n" + raw.Trim();
                continue;
            }

            var separator = raw.IndexOfAny(['=', ':']);
            if (separator < 0)
            {
                continue;
            }

            var key = raw[..separator].Trim().ToLowerInvariant();
            var value = raw[(separator + 1)..];
            var semicolon = value.IndexOf(';', StringComparison.Ordinal);
            if (semicolon > 0 && char.IsWhiteSpace(value[semicolon - 1]))
            {
                value = value[..semicolon];
            }

            value = value.Trim();
            var existing = values.FindIndex(v => v.Key == key);
            if (existing >= 0)
            {
                values[existing].Lines.Add(value);
            }
            else
            {
                values.Add((key, [value]));
            }

            lastKey = key;
        }

        Flush();
        return new WazuhTestFile(Path.GetFileNameWithoutExtension(path), runs);
    }
}

/// <summary>One run of a test file: its lines, whether it should pass, and the expected rule id, level and decoder.</summary>
internal sealed record WazuhTestRun(string Section, string Key, IReadOnlyList<string> Lines, bool ExpectPass, (string Rule, string Level, string Decoder) Expected);
