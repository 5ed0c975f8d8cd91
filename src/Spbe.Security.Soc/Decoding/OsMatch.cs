using System.Buffers;

namespace Spbe.Security.Soc.Decoding;

/// <summary>
/// Wazuh's simple string matching (<c>type="osmatch"</c>, the default of rule <c>match</c> and of
/// <c>program_name</c>): alternatives separated by <c>|</c>, each a plain string found anywhere in the text, at its
/// start (<c>^abc</c>), at its end (<c>abc$</c>) or as the whole text (<c>^abc$</c>), all without ASCII case. An empty
/// alternative matches everything, as in Wazuh. A leading <c>!</c> negates the whole pattern.
/// </summary>
public sealed class OsMatch
{
    private readonly (string Text, Kind Kind)[] _alternatives;
    private readonly bool _negated;

    /// <summary>All texts of the alternatives found anywhere: when none of them occurs (even with Unicode case
    /// folding, which is looser than Wazuh's ASCII folding), none of those alternatives can match.</summary>
    private readonly SearchValues<string>? _anywhere;

    private OsMatch(string pattern, (string, Kind)[] alternatives, bool negated)
    {
        Pattern = pattern;
        _alternatives = alternatives;
        _negated = negated;
        string[] anywhere = [.. alternatives.Where(a => a.Item2 == Kind.Anywhere && a.Item1.Length > 0).Select(a => a.Item1)];
        _anywhere = anywhere.Length > 0 ? SearchValues.Create(anywhere, StringComparison.OrdinalIgnoreCase) : null;
    }

    private enum Kind
    {
        Anywhere,
        Start,
        End,
        Whole,
        Always,
    }

    /// <summary>The pattern as written.</summary>
    public string Pattern { get; }

    /// <summary>Compiles <paramref name="pattern"/>: every string is a valid OS_Match pattern up to
    /// <see cref="OsRegex.MaxPatternLength"/> characters.</summary>
    public static bool TryCompile(string pattern, out OsMatch? match, out string? error)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        if (pattern.Length > OsRegex.MaxPatternLength)
        {
            match = null;
            error = $"longer than {OsRegex.MaxPatternLength} characters";
            return false;
        }

        // Note: a leading '!' negates the whole pattern (Wazuh 4.x); a rule's negate="yes" then negates again.
        var negated = pattern.StartsWith('!');
        var alternatives = (negated ? pattern[1..] : pattern).Split('|').Select(Alternative).ToArray();
        match = new OsMatch(pattern, alternatives, negated);
        error = null;
        return true;
    }

    /// <summary>Compiles a pattern known to be valid.</summary>
    public static OsMatch Compile(string pattern) =>
        TryCompile(pattern, out var match, out var error) ? match! : throw new ArgumentException($"'{pattern}' is not an OS_Match: {error}", nameof(pattern));

    /// <summary>Whether <paramref name="text"/> matches one of the alternatives (or none, for a pattern starting with '!').</summary>
    public bool IsMatch(ReadOnlySpan<char> text) => Any(text) != _negated;

    private bool Any(ReadOnlySpan<char> text)
    {
        var anywhere = _anywhere is null || text.IndexOfAny(_anywhere) >= 0;
        foreach (var (pattern, kind) in _alternatives)
        {
            if (kind == Kind.Anywhere && !anywhere)
            {
                continue;
            }

            var found = kind switch
            {
                Kind.Always => true,
                Kind.Whole => Same(text, pattern),
                Kind.Start => text.Length >= pattern.Length && Same(text[..pattern.Length], pattern),
                Kind.End => text.Length >= pattern.Length && Same(text[^pattern.Length..], pattern),
                _ => Contains(text, pattern),
            };
            if (found)
            {
                return true;
            }
        }

        return false;
    }

    /// <inheritdoc />
    public override string ToString() => Pattern;

    private static (string, Kind) Alternative(string text)
    {
        // Note: the order of these tests is Wazuh's: "^$" is the empty text only, "^" alone or "$" alone match
        // everything (an empty prefix or suffix), and an empty alternative matches everything.
        var folded = string.Create(text.Length, text, (span, t) =>
        {
            for (var i = 0; i < t.Length; i++)
            {
                span[i] = OsRegex.Fold(t[i]);
            }
        });
        if (folded.Length >= 2 && folded[0] == '^' && folded[^1] == '$')
        {
            return (folded[1..^1], Kind.Whole);
        }

        if (folded.Length == 0)
        {
            return ("", Kind.Always);
        }

        if (folded[^1] == '$')
        {
            return (folded[..^1], Kind.End);
        }

        return folded[0] == '^' ? (folded[1..], Kind.Start) : (folded, Kind.Anywhere);
    }

    private static bool Same(ReadOnlySpan<char> text, string folded)
    {
        if (text.Length != folded.Length)
        {
            return false;
        }

        for (var i = 0; i < text.Length; i++)
        {
            if (OsRegex.Fold(text[i]) != folded[i])
            {
                return false;
            }
        }

        return true;
    }

    private static bool Contains(ReadOnlySpan<char> text, string folded)
    {
        if (folded.Length == 0)
        {
            return true;
        }

        var first = folded[0];
        var upper = first is >= 'a' and <= 'z' ? (char)(first & ~0x20) : first;
        for (var i = 0; i + folded.Length <= text.Length;)
        {
            var at = text[i..].IndexOfAny(first, upper);
            if (at < 0 || i + at + folded.Length > text.Length)
            {
                return false;
            }

            i += at;
            if (Same(text.Slice(i, folded.Length), folded))
            {
                return true;
            }

            i++;
        }

        return false;
    }
}
