using System.Text;
using System.Text.RegularExpressions;

namespace Spbe.Security.Soc.Decoding;

/// <summary>
/// A PCRE2 pattern (<c>type="pcre2"</c>) run by .NET's regex engine. Wazuh compiles PCRE2 without options: case
/// matters, <c>\d \w \s</c> are ASCII classes, <c>.</c> stops at a newline. .NET's classes are Unicode-wide, so they are
/// rewritten to PCRE2's sets; <c>(?P&lt;name&gt;</c> becomes .NET's <c>(?&lt;name&gt;</c>. Groups that took no part in
/// the match are reported empty, as Wazuh does, up to the last group that did.
/// </summary>
public sealed class Pcre2Pattern
{
    private static readonly TimeSpan MatchTimeout = TimeSpan.FromSeconds(1);

    private readonly Regex _regex;

    private Pcre2Pattern(Regex regex) => _regex = regex;

    /// <summary>Compiles <paramref name="pattern"/>; <paramref name="error"/> says why .NET refused it.</summary>
    public static bool TryCompile(string pattern, out Pcre2Pattern? compiled, out string? error)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        try
        {
            compiled = new Pcre2Pattern(new Regex(Rewrite(pattern), RegexOptions.CultureInvariant, MatchTimeout));
            error = null;
            return true;
        }
        catch (ArgumentException ex)
        {
            compiled = null;
            error = ex.Message;
            return false;
        }
    }

    /// <summary>See <see cref="Pattern.TryMatch"/>.</summary>
    public bool TryMatch(string text, int start, List<string>? captures, out int end)
    {
        captures?.Clear();
        Match match;
        try
        {
            // Note: the subject starts at the offset, so '^' anchors there, as in Wazuh (which passes a pointer into the log).
            match = _regex.Match(start == 0 ? text : text[start..]);
        }
        catch (RegexMatchTimeoutException)
        {
            end = -1;
            return false;
        }

        if (!match.Success)
        {
            end = -1;
            return false;
        }

        end = start + match.Index + match.Length - 1;
        if (captures is not null)
        {
            var last = 0;
            for (var g = 1; g < match.Groups.Count; g++)
            {
                if (match.Groups[g].Success)
                {
                    last = g;
                }
            }

            for (var g = 1; g <= last; g++)
            {
                captures.Add(match.Groups[g].Success ? match.Groups[g].Value : "");
            }
        }

        return true;
    }

    /// <summary>PCRE2 syntax to .NET syntax for the constructs that mean different things: ASCII classes,
    /// <c>(?P&lt;name&gt;</c>, and the ungreedy option <c>(?U)</c> (which .NET lacks: every quantifier after it has its
    /// greediness swapped instead).</summary>
    internal static string Rewrite(string pattern)
    {
        var result = new StringBuilder(pattern.Length + 16);
        var inClass = false;
        var ungreedy = false;

        // Note: start-of-pattern verbs such as (*UTF) only set how PCRE2 reads the subject; .NET reads UTF-16 anyway.
        while (pattern.StartsWith("(*", StringComparison.Ordinal) && pattern.IndexOf(')', StringComparison.Ordinal) is var verbEnd and > 0)
        {
            pattern = pattern[(verbEnd + 1)..];
        }

        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '\\' && string.CompareOrdinal(pattern, i, "\\N{U+", 0, 5) == 0 && pattern.IndexOf('}', i) is var brace and > 0)
            {
                result.Append("\\u").Append(pattern[(i + 5)..brace].PadLeft(4, '0'));
                i = brace;
                continue;
            }

            if (!inClass && c == '(' && i + 2 < pattern.Length && pattern[i + 1] == '?' && InlineOptions(pattern, i + 2) is var optionsEnd and > 0)
            {
                var options = pattern[(i + 2)..optionsEnd];
                if (options.Contains('U', StringComparison.Ordinal))
                {
                    ungreedy = true;
                    options = options.Replace("U", "", StringComparison.Ordinal);
                }

                var close = pattern[optionsEnd];
                if (options.Length > 0 || close == ':')
                {
                    result.Append("(?").Append(options).Append(close);
                }

                i = optionsEnd;
                continue;
            }

            if (ungreedy && !inClass && IsQuantifierEnd(pattern, i, out var quantifierEnd))
            {
                result.Append(pattern, i, quantifierEnd - i + 1);
                i = quantifierEnd;
                if (i + 1 < pattern.Length && pattern[i + 1] == '?')
                {
                    i++;
                }
                else if (!(i + 1 < pattern.Length && pattern[i + 1] == '+'))
                {
                    result.Append('?');
                }

                continue;
            }

            if (c == '\\' && i + 1 < pattern.Length)
            {
                var next = pattern[i + 1];
                var set = next switch
                {
                    'd' => "0-9",
                    'w' => "A-Za-z0-9_",
                    's' => "\\t\\n\\x0B\\f\\r ",
                    'h' => "\\t ",
                    _ => null,
                };
                var negated = next switch
                {
                    'D' => "0-9",
                    'W' => "A-Za-z0-9_",
                    'S' => "\\t\\n\\x0B\\f\\r ",
                    'H' => "\\t ",
                    _ => null,
                };
                if (set is not null)
                {
                    result.Append(inClass ? set : "[" + set + "]");
                }
                else if (negated is not null)
                {
                    // Note: inside a class a negated set cannot be spelled as a range list; .NET's own \D \W \S are kept there.
                    result.Append(inClass ? "\\" + next : "[^" + negated + "]");
                }
                else
                {
                    result.Append(c).Append(next);
                }

                i++;
                continue;
            }

            if (!inClass && c == '(' && string.CompareOrdinal(pattern, i, "(?P<", 0, 4) == 0)
            {
                result.Append("(?<");
                i += 3;
                continue;
            }

            if (!inClass && c == '[')
            {
                inClass = true;
                result.Append(c);
                if (i + 1 < pattern.Length && pattern[i + 1] == '^')
                {
                    result.Append('^');
                    i++;
                }

                if (i + 1 < pattern.Length && pattern[i + 1] == ']')
                {
                    result.Append("\\]");
                    i++;
                }

                continue;
            }

            if (inClass && c == ']')
            {
                inClass = false;
            }

            result.Append(c);
        }

        return result.ToString();
    }

    /// <summary>For "(?flags)" or "(?flags:" starting its flags at <paramref name="from"/>: the index of the ')' or ':',
    /// else 0.</summary>
    private static int InlineOptions(string pattern, int from)
    {
        var i = from;
        while (i < pattern.Length && (char.IsAsciiLetter(pattern[i]) || pattern[i] == '-'))
        {
            i++;
        }

        return i > from && i < pattern.Length && pattern[i] is ')' or ':' ? i : 0;
    }

    /// <summary>Whether a quantifier starts at <paramref name="i"/> (<c>* + ?</c> after something quantifiable, or
    /// <c>{n}</c>, <c>{n,}</c>, <c>{n,m}</c>), and where it ends.</summary>
    private static bool IsQuantifierEnd(string pattern, int i, out int end)
    {
        end = i;
        var c = pattern[i];
        if (c is '*' or '+' or '?')
        {
            return i > 0 && pattern[i - 1] != '(' && !(pattern[i - 1] == '\\' && (i < 2 || pattern[i - 2] != '\\'));
        }

        if (c != '{')
        {
            return false;
        }

        var j = i + 1;
        var digits = 0;
        while (j < pattern.Length && (char.IsAsciiDigit(pattern[j]) || pattern[j] == ','))
        {
            digits += char.IsAsciiDigit(pattern[j]) ? 1 : 0;
            j++;
        }

        if (digits == 0 || j >= pattern.Length || pattern[j] != '}')
        {
            return false;
        }

        end = j;
        return true;
    }
}
