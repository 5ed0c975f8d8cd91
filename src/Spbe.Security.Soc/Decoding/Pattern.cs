namespace Spbe.Security.Soc.Decoding;

/// <summary>A compiled pattern of any of Wazuh's kinds, with one way to run it.</summary>
public sealed class Pattern
{
    private readonly OsRegex? _osRegex;
    private readonly OsMatch? _osMatch;
    private readonly Pcre2Pattern? _pcre2;

    private Pattern(string text, PatternKind kind, OsRegex? osRegex, OsMatch? osMatch, Pcre2Pattern? pcre2)
    {
        Text = text;
        Kind = kind;
        _osRegex = osRegex;
        _osMatch = osMatch;
        _pcre2 = pcre2;
    }

    /// <summary>The pattern as written.</summary>
    public string Text { get; }

    /// <summary>Its language.</summary>
    public PatternKind Kind { get; }

    /// <summary>Compiles <paramref name="text"/> as <paramref name="kind"/>; <paramref name="error"/> says why not.</summary>
    public static Pattern? TryCompile(string text, PatternKind kind, out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        switch (kind)
        {
            case PatternKind.OsRegex:
                return OsRegex.TryCompile(text, out var regex, out error) ? new Pattern(text, kind, regex, null, null) : null;
            case PatternKind.OsMatch:
                return OsMatch.TryCompile(text, out var match, out error) ? new Pattern(text, kind, null, match, null) : null;
            case PatternKind.Pcre2:
                return Pcre2Pattern.TryCompile(text, out var pcre2, out error) ? new Pattern(text, kind, null, null, pcre2) : null;
            default:
                error = null;
                return new Pattern(text, kind, null, null, null);
        }
    }

    /// <summary>Whether the pattern matches <paramref name="text"/>.</summary>
    public bool IsMatch(string text) => TryMatch(text, 0, null, out _);

    /// <summary>
    /// Runs the pattern on <paramref name="text"/> from <paramref name="start"/> (where <c>^</c> anchors).
    /// <paramref name="end"/> is where the match ended as Wazuh reports it (for OS_Regex and PCRE2 the last character
    /// matched; decoders continue one character after it); <paramref name="captures"/> receives the groups.
    /// </summary>
    public bool TryMatch(string text, int start, List<string>? captures, out int end)
    {
        ArgumentNullException.ThrowIfNull(text);
        switch (Kind)
        {
            case PatternKind.OsRegex:
                return _osRegex!.TryMatch(text, start, captures, out end);
            case PatternKind.Pcre2:
                return _pcre2!.TryMatch(text, start, captures, out end);
            case PatternKind.OsMatch:
                captures?.Clear();
                end = text.Length;
                return _osMatch!.IsMatch(text.AsSpan(start));
            default:
                captures?.Clear();
                end = text.Length;
                return string.Equals(text[start..], Text, StringComparison.Ordinal);
        }
    }

    /// <inheritdoc />
    public override string ToString() => Text;
}
