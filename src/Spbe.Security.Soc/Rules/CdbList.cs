namespace Spbe.Security.Soc.Rules;

/// <summary>A Wazuh CDB list in its text form: one <c>key:value</c> per line (a key may be quoted to hold colons),
/// lines without a colon ignored; the first record of a key wins.</summary>
public sealed class CdbList
{
    private readonly Dictionary<string, string> _entries;

    private CdbList(Dictionary<string, string> entries) => _entries = entries;

    /// <summary>Reads a list file.</summary>
    public static CdbList Load(string path)
    {
        var entries = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var raw in File.ReadLines(path))
        {
            var line = raw.TrimEnd('\r', '\n');
            string key;
            string value;
            if (line.StartsWith('"'))
            {
                var close = line.IndexOf('"', 1);
                if (close < 0 || close + 1 >= line.Length || line[close + 1] != ':')
                {
                    continue;
                }

                key = line[1..close];
                value = line[(close + 2)..];
            }
            else
            {
                var colon = line.IndexOf(':', StringComparison.Ordinal);
                if (colon < 0)
                {
                    continue;
                }

                key = line[..colon];
                value = line[(colon + 1)..];
            }

            if (value.Length >= 2 && value[0] == '"' && value[^1] == '"')
            {
                value = value[1..^1];
            }

            entries.TryAdd(key, value);
        }

        return new CdbList(entries);
    }

    /// <summary>The value of <paramref name="key"/>, or null.</summary>
    public string? Find(string key) => _entries.TryGetValue(key, out var value) ? value : null;

    /// <summary>How many keys.</summary>
    public int Count => _entries.Count;
}
