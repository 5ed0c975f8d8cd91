namespace Spbe.Security.Soc.Decoding;

/// <summary>
/// An independent matcher of OS_Regex as Wazuh documents it (classes, '+' and '*' after a class, '^', '$', '|', one
/// level of parentheses, ASCII case ignored), written as a plain backtracking search: the leftmost start that matches,
/// and at that start the first way found, repetitions taking as much as they can. It knows nothing of Wazuh's limited
/// backtracking, so it is the yardstick only for patterns where that limit does not bite.
/// </summary>
internal static class OsRegexReference
{
    public static bool IsMatch(string pattern, string text) => Match(pattern, text) is not null;

    /// <summary>The groups of the first alternative that matches (empty without groups), or null without a match.</summary>
    public static List<string>? Match(string pattern, string text)
    {
        foreach (var alternative in Parse(pattern))
        {
            if (Search(alternative, text))
            {
                var groups = new List<string>();
                for (var g = 0; g + 1 < alternative.Marks.Length; g += 2)
                {
                    groups.Add(text[alternative.Marks[g]..alternative.Marks[g + 1]]);
                }

                return groups;
            }
        }

        return null;
    }

    private static bool Search(Alternative alternative, string text)
    {
        for (var start = 0; start <= text.Length; start++)
        {
            if (Match(alternative, 0, text, start))
            {
                return true;
            }

            if (alternative.Begin)
            {
                return false;
            }
        }

        return false;
    }

    private static bool Match(Alternative alternative, int element, string text, int position)
    {
        for (var g = 0; g < alternative.Parens.Count; g++)
        {
            if (alternative.Parens[g] == element)
            {
                alternative.Marks[g] = position;
            }
        }

        if (element == alternative.Elements.Count)
        {
            return !alternative.End || position == text.Length;
        }

        var e = alternative.Elements[element];
        if (e.Repeat == '\0')
        {
            return position < text.Length && e.Accepts(text[position]) && Match(alternative, element + 1, text, position + 1);
        }

        var run = 0;
        while (position + run < text.Length && e.Accepts(text[position + run]))
        {
            run++;
        }

        for (var taken = run; taken >= (e.Repeat == '+' ? 1 : 0); taken--)
        {
            if (Match(alternative, element + 1, text, position + taken))
            {
                return true;
            }
        }

        return false;
    }

    private static List<Alternative> Parse(string pattern)
    {
        var alternatives = new List<Alternative>();
        foreach (var part in SplitOnBars(pattern))
        {
            var body = part;
            var begin = body.StartsWith('^');
            if (begin)
            {
                body = body[1..];
            }

            var end = body.EndsWith('$') && !body.EndsWith("\\$", StringComparison.Ordinal);
            if (end)
            {
                body = body[..^1];
            }

            var elements = new List<Element>();
            var parens = new List<int>();
            for (var i = 0; i < body.Length; i++)
            {
                var c = body[i];
                if (c is '(' or ')')
                {
                    parens.Add(elements.Count);
                    continue;
                }

                Element element;
                if (c == '\\')
                {
                    var code = body[++i];
                    element = new Element(Class(code), '\0');
                    if (i + 1 < body.Length && body[i + 1] is '+' or '*')
                    {
                        element = element with { Repeat = body[++i] };
                    }
                }
                else
                {
                    var folded = char.ToLowerInvariant(c);
                    element = new Element(x => (x is >= 'A' and <= 'Z' ? (char)(x | 0x20) : x) == folded, '\0');
                }

                elements.Add(element);
            }

            alternatives.Add(new Alternative(begin, end, elements, parens, new int[parens.Count]));
        }

        return alternatives;
    }

    private static IEnumerable<string> SplitOnBars(string pattern)
    {
        var start = 0;
        for (var i = 0; i < pattern.Length; i++)
        {
            if (pattern[i] == '\\')
            {
                i++;
            }
            else if (pattern[i] == '|')
            {
                yield return pattern[start..i];
                start = i + 1;
            }
        }

        yield return pattern[start..];
    }

    private static Func<char, bool> Class(char code) => code switch
    {
        'd' => char.IsAsciiDigit,
        'D' => c => !char.IsAsciiDigit(c),
        'w' => Word,
        'W' => c => !Word(c),
        's' => c => c == ' ',
        'S' => c => c != ' ',
        't' => c => c == '\t',
        'p' => c => "!\"#$%&'()*+,-.:;<=>?[]{|}".Contains(c, StringComparison.Ordinal),
        '.' => _ => true,
        _ => c => c == code,
    };

    private static bool Word(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '@' or '-';

    private sealed record Element(Func<char, bool> Accepts, char Repeat);

    /// <summary>An alternative; <c>Parens</c> holds, for each parenthesis, the element it stands before, and <c>Marks</c>
    /// where it stood in the text in the last match.</summary>
    private sealed record Alternative(bool Begin, bool End, List<Element> Elements, List<int> Parens, int[] Marks);
}
