using System.Text;

namespace Spbe.Security.Soc.Ruleset;

/// <summary>
/// Reads decoder and rule files the way Wazuh's own XML reader does, not as strict XML: a file holds several top-level
/// elements, text is taken as written (no entities: <c>&amp;</c> is an ampersand), and <c>\&lt;</c> in text is a
/// backslash and a less-than sign (the OS_Regex escape), not the start of a tag. Seven of Wazuh's stock decoder files and
/// one rule file rely on this. Comments, processing instructions and the XML declaration are skipped.
/// </summary>
public static class RulesetXml
{
    /// <summary>Parses <paramref name="text"/>; on a structural error returns what was complete before it, and the error
    /// with its line.</summary>
    public static IReadOnlyList<RulesetElement> Parse(string text, out RulesetXmlError? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        var reader = new Reader(text);
        var roots = new List<RulesetElement>();
        error = null;
        try
        {
            while (reader.NextElement() is { } element)
            {
                roots.Add(element);
            }
        }
        catch (FormatException ex)
        {
            error = new RulesetXmlError(ex is NotClosedException notClosed ? notClosed.Line : reader.Line, ex.Message);
        }

        return roots;
    }

    /// <summary>An element still open at the end of the file: reported at the line where it starts.</summary>
    /// <summary>Reads a ruleset file and applies its variables; null (with the reasons in <paramref name="problems"/>)
    /// when it cannot be read as a whole.</summary>
    public static IReadOnlyList<RulesetElement>? ReadFile(string path, ICollection<RulesetProblem> problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        var file = Path.GetFileName(path);
        var roots = Parse(File.ReadAllText(path), out var xmlError);
        if (xmlError is not null)
        {
            problems.Add(new RulesetProblem(file, xmlError.Line, xmlError.Message));
            return null;
        }

        var fileProblems = new List<RulesetProblem>();
        roots = RulesetVariables.Apply(roots, (line, message) => fileProblems.Add(new RulesetProblem(file, line, message)));
        foreach (var problem in fileProblems)
        {
            problems.Add(problem);
        }

        return fileProblems.Count == 0 ? roots : null;
    }

    private sealed class NotClosedException(int line, string message) : FormatException(message)
    {
        public int Line { get; } = line;
    }

    private sealed class Reader(string text)
    {
        private int _i;

        public int Line { get; private set; } = 1;

        /// <summary>The next top-level element, or null at the end.</summary>
        public RulesetElement? NextElement()
        {
            while (true)
            {
                SkipTextAtTopLevel();
                if (_i >= text.Length)
                {
                    return null;
                }

                if (SkipMarkup())
                {
                    continue;
                }

                if (Peek(1) == '/')
                {
                    throw new FormatException($"closing tag </{TagNameAt(_i + 2)}> without an opening one");
                }

                return ReadElement();
            }
        }

        private RulesetElement ReadElement()
        {
            var line = Line;
            Expect('<');
            var name = ReadName();
            var attributes = new List<KeyValuePair<string, string>>();
            while (true)
            {
                SkipSpace();
                if (_i >= text.Length)
                {
                    throw new NotClosedException(line, $"<{name}> is not closed");
                }

                if (text[_i] == '/' && Peek(1) == '>')
                {
                    _i += 2;
                    return new RulesetElement(name, attributes, "", [], line);
                }

                if (text[_i] == '>')
                {
                    _i++;
                    break;
                }

                var attribute = ReadName();
                SkipSpace();
                Expect('=');
                SkipSpace();
                var quote = _i < text.Length ? text[_i] : '\0';
                if (quote is not ('"' or '\''))
                {
                    throw new FormatException($"the value of {attribute} in <{name}> is not quoted");
                }

                _i++;
                var end = text.IndexOf(quote, _i);
                if (end < 0)
                {
                    throw new FormatException($"the value of {attribute} in <{name}> is not closed");
                }

                attributes.Add(new(attribute, Advance(end)));
                _i = end + 1;
            }

            var content = new StringBuilder();
            var children = new List<RulesetElement>();
            while (true)
            {
                var start = _i;
                while (_i < text.Length && !(text[_i] == '<' && !Escaped(_i)))
                {
                    _i++;
                }

                content.Append(Advance(_i, start));
                if (_i >= text.Length)
                {
                    throw new NotClosedException(line, $"<{name}> is not closed");
                }

                if (SkipMarkup())
                {
                    continue;
                }

                if (Peek(1) == '/')
                {
                    _i += 2;
                    var closing = ReadName();
                    SkipSpace();
                    Expect('>');
                    if (!string.Equals(closing, name, StringComparison.Ordinal))
                    {
                        throw new FormatException($"</{closing}> closes <{name}> (line {line})");
                    }

                    return new RulesetElement(name, attributes, children.Count == 0 ? content.ToString() : content.ToString().Trim(), children, line);
                }

                children.Add(ReadElement());
            }
        }

        /// <summary>Skips a comment, processing instruction or declaration at a '&lt;'.</summary>
        private bool SkipMarkup()
        {
            string? close = Peek(1) switch
            {
                '!' when string.CompareOrdinal(text, _i, "<!--", 0, 4) == 0 => "-->",
                '!' => ">",
                '?' => "?>",
                _ => null,
            };
            if (close is null)
            {
                return false;
            }

            var end = text.IndexOf(close, _i + 2, StringComparison.Ordinal);
            if (end < 0)
            {
                throw new FormatException("a comment or declaration is not closed");
            }

            Advance(end + close.Length);
            _i = end + close.Length;
            return true;
        }

        /// <summary>Whether the '&lt;' at <paramref name="index"/> follows an odd number of backslashes (<c>\&lt;</c> is
        /// text, <c>\\&lt;</c> a backslash pair before a tag, as in <c>E:\\&lt;/field&gt;</c> of the stock rules).</summary>
        private bool Escaped(int index)
        {
            var backslashes = 0;
            while (index - backslashes - 1 >= 0 && text[index - backslashes - 1] == '\\')
            {
                backslashes++;
            }

            return backslashes % 2 == 1;
        }

        /// <summary>Text between top-level elements is ignored, as Wazuh's reader does.</summary>
        private void SkipTextAtTopLevel()
        {
            var next = text.IndexOf('<', _i);
            next = next < 0 ? text.Length : next;
            Advance(next);
            _i = next;
        }

        private string ReadName()
        {
            var start = _i;
            while (_i < text.Length && (char.IsLetterOrDigit(text[_i]) || text[_i] is '_' or '-' or '.' or ':'))
            {
                _i++;
            }

            if (_i == start)
            {
                throw new FormatException($"a name was expected at '{Excerpt()}'");
            }

            return text[start.._i];
        }

        private string TagNameAt(int index)
        {
            var end = index;
            while (end < text.Length && (char.IsLetterOrDigit(text[end]) || text[end] is '_' or '-'))
            {
                end++;
            }

            return text[index..end];
        }

        private void SkipSpace()
        {
            while (_i < text.Length && char.IsWhiteSpace(text[_i]))
            {
                Advance(_i + 1);
                _i++;
            }
        }

        private void Expect(char c)
        {
            if (_i >= text.Length || text[_i] != c)
            {
                throw new FormatException($"'{c}' was expected at '{Excerpt()}'");
            }

            _i++;
        }

        private char Peek(int offset) => _i + offset < text.Length ? text[_i + offset] : '\0';

        /// <summary>The text from the current position to <paramref name="end"/>, counting its lines.</summary>
        private string Advance(int end, int? from = null)
        {
            var start = from ?? _i;
            var slice = text[start..end];
            Line += slice.Count(c => c == '\n');
            return slice;
        }

        private string Excerpt() => text.Substring(_i, Math.Min(30, text.Length - _i)).ReplaceLineEndings(" ");
    }
}
