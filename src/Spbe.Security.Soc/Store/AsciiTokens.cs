namespace Spbe.Security.Soc.Store;

/// <summary>
/// Words as SQLite's FTS5 <c>ascii</c> tokenizer sees them: runs of ASCII letters and digits and of any non-ASCII
/// character, ASCII letters folded to lower case, everything else a separator. The full-text index and the search over
/// rows not indexed yet both use these rules, so they find the same events.
/// </summary>
internal static class AsciiTokens
{
    /// <summary>The distinct words of <paramref name="text"/>, folded, in the order they first occur.</summary>
    public static List<string> Distinct(string? text)
    {
        var words = new List<string>();
        if (text is null)
        {
            return words;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        Span<char> folded = stackalloc char[256];
        for (var i = 0; i < text.Length;)
        {
            var (start, length) = Next(text, ref i);
            if (length == 0)
            {
                break;
            }

            var word = Fold(text.AsSpan(start, length), length <= folded.Length ? folded : new char[length]).ToString();
            if (seen.Add(word))
            {
                words.Add(word);
            }
        }

        return words;
    }

    /// <summary>Whether every word of <paramref name="words"/> (folded, as <see cref="Distinct"/> gives them) occurs in
    /// <paramref name="text"/>.</summary>
    public static bool ContainsAll(string text, WordSet words)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(words);
        Span<bool> found = stackalloc bool[words.Count];
        var missing = words.Count;
        Span<char> folded = words.MaxLength <= 256 ? stackalloc char[256] : new char[words.MaxLength];
        for (var i = 0; i < text.Length && missing > 0;)
        {
            var (start, length) = Next(text, ref i);
            if (length == 0)
            {
                break;
            }

            if (length > words.MaxLength)
            {
                continue;
            }

            if (words.IndexOf(Fold(text.AsSpan(start, length), folded)) is var index and >= 0 && !found[index])
            {
                found[index] = true;
                missing--;
            }
        }

        return missing == 0;
    }

    private static (int Start, int Length) Next(string text, ref int i)
    {
        while (i < text.Length && !IsWordChar(text[i]))
        {
            i++;
        }

        var start = i;
        while (i < text.Length && IsWordChar(text[i]))
        {
            i++;
        }

        return (start, i - start);
    }

    private static bool IsWordChar(char c) => c >= 0x80 || char.IsAsciiLetterOrDigit(c);

    private static ReadOnlySpan<char> Fold(ReadOnlySpan<char> word, Span<char> buffer)
    {
        for (var i = 0; i < word.Length; i++)
        {
            buffer[i] = char.IsAsciiLetterUpper(word[i]) ? (char)(word[i] | 0x20) : word[i];
        }

        return buffer[..word.Length];
    }

    /// <summary>The words of one query, looked up without allocating.</summary>
    public sealed class WordSet
    {
        private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _lookup;

        public WordSet(IReadOnlyList<string> words)
        {
            ArgumentNullException.ThrowIfNull(words);
            var indexes = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var word in words)
            {
                indexes.TryAdd(word, indexes.Count);
            }

            Count = indexes.Count;
            MaxLength = indexes.Keys.Select(w => w.Length).DefaultIfEmpty(0).Max();
            _lookup = indexes.GetAlternateLookup<ReadOnlySpan<char>>();
        }

        public int Count { get; }

        public int MaxLength { get; }

        public int IndexOf(ReadOnlySpan<char> word) => _lookup.TryGetValue(word, out var index) ? index : -1;
    }
}
