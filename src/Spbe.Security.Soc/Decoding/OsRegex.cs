using System.Buffers;

namespace Spbe.Security.Soc.Decoding;

/// <summary>
/// Wazuh's own regular expressions (<c>type="osregex"</c>, the default for decoder regex and prematch and for rule
/// regex), with the semantics of its matcher rather than those of .NET's:
/// <list type="bullet">
/// <item>classes <c>\w</c> (ASCII letters, digits, <c>_ @ -</c>), <c>\d</c>, <c>\s</c> (a space only), <c>\t</c> (tab),
/// <c>\p</c> (the punctuation <c>!"#$%&amp;'()*+,-.:;&lt;=&gt;?[]{|}</c>), their complements <c>\W \D \S</c>, <c>\.</c>
/// (any character), and the escapes <c>\( \) \\ \$ \| \&lt;</c>;</item>
/// <item><c>+</c> and <c>*</c> only after a class (after a plain character they are plain characters);</item>
/// <item><c>^</c> and <c>$</c> only at the start and end of an alternative, <c>|</c> between alternatives (tried in
/// order; the first that matches wins), one level of parentheses, which capture;</item>
/// <item>plain characters compare without ASCII case; non-ASCII characters are never <c>\w</c>;</item>
/// <item>no general backtracking: a repeated class hands over to what follows as soon as that matches, and only the
/// last four such hand-overs can be taken back. Patterns that rely on more backtracking than that do not match, in
/// Wazuh and here alike.</item>
/// </list>
/// </summary>
/// <remarks>
/// The matcher is a state machine over the pattern text and the input that reproduces Wazuh's decisions step by step;
/// <c>OsRegexReference</c> in the tests is an independent backtracking matcher of the documented syntax that it
/// must agree with wherever Wazuh's limited backtracking is enough.
/// </remarks>
public sealed class OsRegex
{
    /// <summary>Wazuh refuses longer patterns (OS_PATTERN_MAXSIZE).</summary>
    public const int MaxPatternLength = 2048;

    private readonly Alternative[] _alternatives;

    private OsRegex(string pattern, Alternative[] alternatives, int groups)
    {
        Pattern = pattern;
        _alternatives = alternatives;
        GroupCount = groups;
    }

    /// <summary>The pattern as written.</summary>
    public string Pattern { get; }

    /// <summary>The most capture groups any alternative has.</summary>
    public int GroupCount { get; }

    /// <summary>Compiles <paramref name="pattern"/>; <paramref name="error"/> says why it is not a valid OS_Regex.</summary>
    public static bool TryCompile(string pattern, out OsRegex? regex, out string? error)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        regex = null;
        if (pattern.Length > MaxPatternLength)
        {
            error = $"longer than {MaxPatternLength} characters";
            return false;
        }

        // Note: the pattern is rewritten into a code string: a class or escape becomes Escape followed by its code, both
        // parentheses become Group, plain letters are folded; the matcher then looks ahead in this string by fixed
        // distances, as Wazuh's does.
        var code = new char[pattern.Length];
        var depth = 0;
        var n = 0;
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '\\')
            {
                if (++i == pattern.Length || ClassCode(pattern[i]) is not { } cls)
                {
                    error = i == pattern.Length ? "ends with a backslash" : $"unknown escape '\\{pattern[i]}'";
                    return false;
                }

                code[n++] = Escape;
                code[n++] = cls;
                continue;
            }

            if (c == '(')
            {
                depth++;
            }
            else if (c == ')')
            {
                c = Group;
                depth--;
            }

            if (depth is not (0 or 1))
            {
                error = depth > 1 ? "parentheses nested (one level only)" : "')' without '('";
                return false;
            }

            if (c == '|' && depth != 0)
            {
                error = "'|' inside parentheses";
                return false;
            }

            code[n++] = Fold(c);
        }

        if (depth != 0)
        {
            error = "'(' not closed";
            return false;
        }

        var alternatives = new List<Alternative>();
        var start = 0;
        for (var i = 0; i <= n; i++)
        {
            // Note: an escaped '|' or '$' is a class code by now, so a plain '|' or '$' here is an operator.
            if (i < n && code[i] != '|')
            {
                continue;
            }

            var from = start;
            var to = i;
            var anchors = Anchors.None;
            if (from < to && code[from] == '^')
            {
                from++;
                anchors |= Anchors.Begin;
            }

            if (from < to && code[to - 1] == '$')
            {
                to--;
                anchors |= Anchors.End;
            }

            var text = new string(code, from, to - from);
            var groups = new List<int>();
            for (var k = 0; k < text.Length; k++)
            {
                if (text[k] == Escape)
                {
                    k++;
                }
                else if (text[k] == Group)
                {
                    groups.Add(k);
                }
            }

            alternatives.Add(new Alternative(text, anchors, [.. groups]));
            start = i + 1;
        }

        regex = new OsRegex(pattern, [.. alternatives], alternatives.Max(a => a.Groups.Length) / 2);
        error = null;
        return true;
    }

    /// <summary>Compiles a pattern known to be valid.</summary>
    /// <exception cref="ArgumentException">It is not.</exception>
    public static OsRegex Compile(string pattern) =>
        TryCompile(pattern, out var regex, out var error) ? regex! : throw new ArgumentException($"'{pattern}' is not an OS_Regex: {error}", nameof(pattern));

    /// <summary>Whether the pattern occurs in <paramref name="text"/>.</summary>
    public bool IsMatch(string text) => TryMatch(text, 0, null, out _);

    /// <summary>
    /// Matches from <paramref name="start"/>. <paramref name="end"/> is where Wazuh's matcher stopped: mostly the last
    /// character it consumed, but one further after some repetitions (decoders continue one character after it, unless
    /// it is the end of the text). <paramref name="captures"/>, if given, receives the groups of the matching alternative.
    /// </summary>
    public bool TryMatch(string text, int start, List<string>? captures, out int end) => TryMatch(text, start, captures, out end, shortcuts: true);

    /// <summary>As the public one; without <paramref name="shortcuts"/> every alternative runs the matcher, which the
    /// tests compare with: the shortcuts only skip attempts the matcher would fail.</summary>
    internal bool TryMatch(string text, int start, List<string>? captures, out int end, bool shortcuts)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentOutOfRangeException.ThrowIfGreaterThan((uint)start, (uint)text.Length, nameof(start));
        captures?.Clear();

        // Note: like Wazuh, parentheses are tracked (and change a few edge decisions, see Matcher.Finish) only when
        // the caller asks for the groups and the pattern has any.
        var substrings = captures is not null && GroupCount > 0;
        Span<int> buffer = substrings ? stackalloc int[32] : default;
        // Note: alternatives often require the same text; it is looked for once.
        var (looked, found) = ((string?)null, false);
        foreach (var alternative in _alternatives)
        {
            if (shortcuts && CannotMatch(alternative, text, start, ref looked, ref found))
            {
                continue;
            }

            var marks = !substrings ? default : alternative.Groups.Length <= buffer.Length ? buffer[..alternative.Groups.Length] : new int[alternative.Groups.Length];
            marks.Fill(Unset);
            end = new Matcher(alternative, text, start, substrings, marks).Run();
            if (end == NoMatch)
            {
                continue;
            }

            for (var j = 0; substrings && j + 1 < marks.Length && marks[j] != Unset && marks[j + 1] != Unset; j += 2)
            {
                var from = Math.Clamp(marks[j], 0, text.Length);
                var to = Math.Clamp(marks[j + 1], 0, text.Length);
                captures!.Add(to > from ? text[from..to] : "");
            }

            return true;
        }

        end = -1;
        return false;
    }

    /// <inheritdoc />
    public override string ToString() => Pattern;

    /// <summary>Whether the matcher would certainly fail <paramref name="alternative"/>: anchored, and the first
    /// character does not fit; or text it requires is missing (<paramref name="looked"/> and <paramref name="found"/>
    /// remember the last text looked for).</summary>
    private static bool CannotMatch(Alternative alternative, string text, int start, ref string? looked, ref bool found)
    {
        if (alternative.StartAt >= 0 && (start == text.Length || !alternative.StartsWith(text[start])))
        {
            return true;
        }

        if (alternative.Required is not { } required)
        {
            return false;
        }

        if (!string.Equals(looked, alternative.RequiredText, StringComparison.Ordinal))
        {
            (looked, found) = (alternative.RequiredText, text.AsSpan(start).IndexOfAny(required) >= 0);
        }

        return !found;
    }

    /// <summary>Marks a class or escape in the code string; the next character is its code.</summary>
    internal const char Escape = '\\';

    /// <summary>Both parentheses in the code string.</summary>
    internal const char Group = '(';

    internal static char Fold(char c) => c is >= 'A' and <= 'Z' ? (char)(c | 0x20) : c;

    /// <summary>Whether <paramref name="c"/> belongs to the class with code <paramref name="cls"/>.</summary>
    internal static bool InClass(char cls, char c) => c < 128
        ? ((c < 64 ? AsciiLow[cls] >> c : AsciiHigh[cls] >> (c - 64)) & 1) != 0
        : (NonAscii >> cls & 1) != 0;

    /// <summary>Per class code, which ASCII characters below 64 belong to it (bit c).</summary>
    private static readonly ulong[] AsciiLow = ClassTable(0);

    /// <summary>Per class code, which ASCII characters from 64 to 127 belong to it (bit c - 64).</summary>
    private static readonly ulong[] AsciiHigh = ClassTable(64);

    /// <summary>Which class codes take a character beyond ASCII (bit code): all alike, as none of the classes knows one.</summary>
    private static readonly uint NonAscii = Enumerable.Range(0, 16).Aggregate(0u, (bits, cls) => Defines((char)cls, '\u00e9') ? bits | 1u << cls : bits);

    private static ulong[] ClassTable(int from)
    {
        var table = new ulong[16];
        for (var cls = 0; cls < table.Length; cls++)
        {
            for (var c = 0; c < 64; c++)
            {
                if (Defines((char)cls, (char)(from + c)))
                {
                    table[cls] |= 1ul << c;
                }
            }
        }

        return table;
    }

    /// <summary>The classes as Wazuh defines them; <see cref="InClass"/> reads them from tables made of this.</summary>
    private static bool Defines(char cls, char c) => cls switch
    {
        ClassDigit => char.IsAsciiDigit(c),
        ClassWord => IsWord(c),
        ClassSpace => c == ' ',
        ClassPunct => IsPunct(c),
        ClassOpen => c == '(',
        ClassClose => c == ')',
        ClassBackslash => c == '\\',
        ClassNotDigit => !char.IsAsciiDigit(c),
        ClassNotWord => !IsWord(c),
        ClassNotSpace => c != ' ',
        ClassAny => true,
        ClassTab => c == '\t',
        ClassDollar => c == '$',
        ClassPipe => c == '|',
        ClassLess => c == '<',
        _ => false,
    };

    /// <summary>The matcher's NULL: no match.</summary>
    private const int NoMatch = int.MinValue;

    /// <summary>A parenthesis not reached.</summary>
    private const int Unset = int.MinValue;

    private const char ClassDigit = '\u0001';
    private const char ClassWord = '\u0002';
    private const char ClassSpace = '\u0003';
    private const char ClassPunct = '\u0004';
    private const char ClassOpen = '\u0005';
    private const char ClassClose = '\u0006';
    private const char ClassBackslash = '\u0007';
    private const char ClassNotDigit = '\u0008';
    private const char ClassNotWord = '\u0009';
    private const char ClassNotSpace = '\u000A';
    private const char ClassAny = '\u000B';
    private const char ClassTab = '\u000C';
    private const char ClassDollar = '\u000D';
    private const char ClassPipe = '\u000E';
    private const char ClassLess = '\u000F';

    private static char? ClassCode(char c) => c switch
    {
        'd' => ClassDigit,
        'w' => ClassWord,
        's' => ClassSpace,
        'p' => ClassPunct,
        '(' => ClassOpen,
        ')' => ClassClose,
        '\\' => ClassBackslash,
        'D' => ClassNotDigit,
        'W' => ClassNotWord,
        'S' => ClassNotSpace,
        '.' => ClassAny,
        't' => ClassTab,
        '$' => ClassDollar,
        '|' => ClassPipe,
        '<' => ClassLess,
        _ => null,
    };

    private static bool IsRepeat(char c) => c is '+' or '*';

    private static bool IsWord(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '@' or '-';

    private static bool IsPunct(char c) => c is '!' or '"' or '#' or '$' or '%' or '&' or '\'' or '(' or ')' or '*' or '+' or ',' or '-' or '.'
        or ':' or ';' or '<' or '=' or '>' or '?' or '[' or ']' or '{' or '|' or '}';

    [Flags]
    private enum Anchors
    {
        None = 0,
        Begin = 1,
        End = 2,
    }

    /// <summary>One alternative: its code string, anchors, and the positions of its parentheses in the code.</summary>
    private sealed record Alternative(string Code, Anchors Anchors, int[] Groups)
    {
        /// <summary>The plain character the alternative starts with, or '\0'.</summary>
        public char First { get; } = Code.Length > 0 && Code[0] is not (Escape or Group) ? Code[0] : '\0';

        /// <summary>
        /// For an alternative anchored at the start whose first element must take a character (a plain character, or a
        /// class alone or with <c>+</c>; parentheses take none), where that element stands in the code; otherwise -1.
        /// The matcher fails such an alternative at once when the first character does not fit, so it is not started.
        /// </summary>
        public int StartAt { get; } = StartOf(Code, Anchors);

        /// <summary>Whether <paramref name="c"/> fits the element at <see cref="StartAt"/>.</summary>
        public bool StartsWith(char c) => Code[StartAt] == Escape ? InClass(Code[StartAt + 1], c) : Code[StartAt] == Fold(c);

        private static int StartOf(string code, Anchors anchors)
        {
            var i = 0;
            while (i < code.Length && code[i] == Group)
            {
                i++;
            }

            // Note: a NUL in the pattern ends it for the matcher, which then matches anything.
            if ((anchors & Anchors.Begin) == 0 || i >= code.Length || code[i] == '\0')
            {
                return -1;
            }

            return code[i] == Escape && i + 2 < code.Length && code[i + 2] == '*' ? -1 : i;
        }

        /// <summary>Text every match contains (without case), or null: the most telling run of plain characters. Not
        /// for an alternative anchored at a plain character, which fails at once where it does not start.</summary>
        public string? RequiredText { get; } = (Anchors & Anchors.Begin) != 0 && Code.Length > 0 && Code[0] is not (Escape or Group) ? null : TellingRun(Code);

        /// <summary><see cref="RequiredText"/> made ready to search for.</summary>
        public SearchValues<string>? Required => field ??= RequiredText is { } text ? SearchValues.Create([text], StringComparison.OrdinalIgnoreCase) : null;

        /// <summary>
        /// The most telling run of plain characters in <paramref name="code"/>: the longest, or among single characters
        /// the rarest in logs. The matcher compares a plain character only with the character it stands on and then
        /// moves on by one in both, so a run of them matches a run of the text of the same length (ASCII case aside);
        /// only one quirk lets it skip one (see below). A letter, digit or space alone tells too little to be worth a
        /// search.
        /// </summary>
        private static string? TellingRun(string code)
        {
            var best = (From: 0, Length: 0, Score: 0);
            var from = 0;
            for (var i = 0; i <= code.Length; i++)
            {
                var plain = i < code.Length && code[i] is not (Escape or Group or '\0');
                if (plain)
                {
                    continue;
                }

                var length = i - from;
                if (length == 1 && i == code.Length && from >= 2 && code[from - 2] == Escape)
                {
                    // Note: one plain character ending the pattern right after a class is not always matched: when the
                    // class fails after a repetition, Wazuh takes it for the repetition's own '+' and reports a match.
                    length = 0;
                }

                var score = length > 1 ? length * 4 : length == 1 ? Rarity(code[from]) : 0;
                if (score > best.Score)
                {
                    best = (from, length, score);
                }

                if (i < code.Length && code[i] == Escape)
                {
                    // Note: a class and the repetition after it.
                    i++;
                    if (i + 1 < code.Length && IsRepeat(code[i + 1]))
                    {
                        i++;
                    }
                }

                from = i + 1;
            }

            return best.Score > 0 ? code.Substring(best.From, best.Length) : null;
        }

        /// <summary>How rarely a single character occurs in log lines, 0 to 3 (longer runs score 8 and up).</summary>
        private static int Rarity(char c) => c switch
        {
            _ when char.IsAsciiLetterOrDigit(c) || c == ' ' => 0,
            '.' or ':' or '-' or '/' or '=' or ',' or '_' => 1,
            '(' or ')' or '[' or ']' or '"' or '\'' or ';' => 2,
            _ => 3,
        };
    }

    /// <summary>One attempt of one alternative over the input, decision for decision as Wazuh's matcher takes them.</summary>
    private ref struct Matcher
    {
        private readonly string _code;
        private readonly string _text;
        private readonly bool _begin;
        private readonly bool _end;
        private readonly bool _substrings;
        private readonly int[] _groups;
        private readonly Span<int> _marks;
        private readonly char _first;

        // Note: up to four points to resume from when what follows a repeated class fails after the hand-over.
        private ResumePoints _resume;

        // Note: _pt and _st are the positions in the code and the text; _last is what Wazuh returns on success (NoMatch
        // stands for its NULL, and -1, one before the text, is a real answer after a leading "\x*" that matched nothing);
        // _restart is the first character of the current attempt; _repeating says a repeated class has matched.
        private int _pt;
        private int _st;
        private int _last;
        private int _restart;
        private bool _repeating;

        public Matcher(Alternative alternative, string text, int start, bool substrings, Span<int> marks)
        {
            _code = alternative.Code;
            _text = text;
            _begin = (alternative.Anchors & Anchors.Begin) != 0;
            _end = (alternative.Anchors & Anchors.End) != 0;
            _substrings = substrings;
            _groups = alternative.Groups;
            _marks = marks;
            _first = alternative.First;
            _pt = 0;
            _st = start;
            _last = NoMatch;
            _restart = NoMatch;
            _repeating = false;
            _resume = default;
        }

        private readonly bool MayFinish => !_end || _st >= _text.Length;

        /// <summary>Runs the attempt: Wazuh's answer (see <see cref="_last"/>) or <see cref="NoMatch"/>.</summary>
        public int Run()
        {
            do
            {
                if (P(_pt) == '\0')
                {
                    if (MayFinish)
                    {
                        return _last;
                    }
                }
                else if (P(_pt) == Group)
                {
                    Mark(_pt, _st);
                    _pt++;
                    if (P(_pt) == '\0' && MayFinish)
                    {
                        return _last;
                    }
                }

                if (P(_pt) == Escape)
                {
                    var (proceed, answer) = AtClass();
                    if (answer != NoMatch)
                    {
                        return answer;
                    }

                    if (proceed)
                    {
                        continue;
                    }
                }
                else if (P(_pt) != '\0' && P(_pt) == Fold(S(_st)))
                {
                    _pt++;
                    if (_restart == NoMatch)
                    {
                        _restart = _st;
                    }

                    _last = _st;
                    continue;
                }

                // Note: this position failed: take back the latest hand-over; without one, an anchored alternative has
                // failed, and otherwise the attempt starts again one character after where it started.
                if (_resume.TryPop(out var pt, out var st))
                {
                    _pt = pt;
                    _st = st;
                    continue;
                }

                if (_begin)
                {
                    return NoMatch;
                }

                if (_restart != NoMatch)
                {
                    _st = _restart;
                    _restart = NoMatch;
                }

                _pt = 0;
                _last = NoMatch;

                // Note: an attempt can only start where the first plain character is: skip straight there (the
                // attempts in between would each fail at once).
                if (_first != '\0')
                {
                    var next = NextCandidate(_st + 1);
                    _st = (next < 0 ? _text.Length : next) - 1;
                }
            }
            while (++_st < _text.Length);

            return Finish();
        }

        private readonly char P(int i) => i < _code.Length ? _code[i] : '\0';

        /// <summary>The next index from <paramref name="from"/> whose character folds to the first plain character.</summary>
        private readonly int NextCandidate(int from)
        {
            if (from >= _text.Length)
            {
                return -1;
            }

            var rest = _text.AsSpan(from);
            var at = _first is >= 'a' and <= 'z' ? rest.IndexOfAny(_first, (char)(_first & ~0x20)) : rest.IndexOf(_first);
            return at < 0 ? -1 : from + at;
        }

        private readonly char S(int i) => (uint)i < (uint)_text.Length ? _text[i] : '\0';

        /// <summary>Where a closing parenthesis right after a repetition is marked: after the character when it is the
        /// last one of the text, on it otherwise.</summary>
        private readonly int CloseAt => _st + 1 >= _text.Length ? _st + 1 : _st;

        /// <summary>At a class: whether to go on with the next character (<c>proceed</c>), or the answer to return
        /// (NoMatch when there is none); neither means this position failed.</summary>
        private (bool Proceed, int Answer) AtClass()
        {
            // Note: in Wazuh the negated classes and \. also accept the NUL that ends the text, which only happens for an
            // empty text and then reads past its end; here no class matches at the end of the text.
            var cls = P(_pt + 1);
            if (_st < _text.Length && InClass(cls, S(_st)))
            {
                var next = _pt + 2;
                if (!IsRepeat(P(next)))
                {
                    _pt = next;
                    if (_restart == NoMatch)
                    {
                        _restart = _st;
                    }

                    _last = _st;
                    return (true, NoMatch);
                }

                if (P(next) == '*')
                {
                    _repeating = true;
                }

                if (_repeating)
                {
                    // Note: within a repetition: when what follows the class matches this character as well, hand over
                    // to it at once, remembering where the repetition stood in case what follows fails later.
                    next++;
                    var step = -1;
                    if (P(next) == Group)
                    {
                        next++;
                    }

                    if (P(next) == '\0')
                    {
                        step = 1;
                    }
                    else if (P(next) == Escape)
                    {
                        if (InClass(P(next + 1), S(_st)))
                        {
                            step = IsRepeat(P(next + 2)) ? 0 : 2;
                        }
                    }
                    else if (P(next) == Fold(S(_st)))
                    {
                        _repeating = false;
                        step = 1;
                    }

                    if (step >= 0)
                    {
                        if (P(next - 1) == Group)
                        {
                            Mark(next - 1, CloseAt);
                        }

                        if (P(next) == '\0')
                        {
                            // Note: the repetition ends the pattern: Wazuh goes on without moving its answer.
                            return (true, NoMatch);
                        }

                        _resume.Push(_pt, _st);
                        _pt = next + step;
                    }
                }
                else
                {
                    // Note: the first character of a '+' repetition.
                    if (P(next + 1) == Group)
                    {
                        Mark(next + 1, CloseAt);
                    }

                    _repeating = true;
                }

                _last = _st;
                return (true, NoMatch);
            }

            if (P(_pt + 3) == '\0' && _repeating && _last != NoMatch)
            {
                _last = _st;
                if (MayFinish)
                {
                    return (false, _last);
                }
            }
            else if (P(_pt + 2) == '+' && _repeating)
            {
                // Note: the repetition ends here: go on with what follows, from this same character.
                _pt += 3;
                _st--;
                _repeating = false;
                return (true, NoMatch);
            }
            else if (P(_pt + 2) == '*')
            {
                _pt += 3;
                _st--;
                _last = _st;
                _repeating = false;
                return (true, NoMatch);
            }

            _repeating = false;
            return (false, NoMatch);
        }

        /// <summary>
        /// The text is used up: the answer stands when what is left of the pattern can match nothing. This follows
        /// Wazuh's end check, including the way each test moves on from where the one before it stopped.
        /// </summary>
        private readonly int Finish()
        {
            var pt = _pt;
            if (_substrings)
            {
                while (P(pt) != Group && P(pt) != '\0' && P(pt) == Escape && P(pt + 2) == '*')
                {
                    pt += 3;
                }

                if (P(pt) == Group)
                {
                    Mark(pt, _st);
                }
            }

            if (EndOfPattern(ref pt))
            {
                return _last;
            }

            if (P(pt) == Escape && _repeating)
            {
                pt += 2;
                if (IsRepeat(P(pt)))
                {
                    pt++;
                    if (EndOfPattern(ref pt))
                    {
                        return _last;
                    }

                    if (P(pt) == Escape)
                    {
                        pt += 2;
                        if (P(pt) == '*')
                        {
                            pt++;
                            if (EndOfPattern(ref pt))
                            {
                                return _last;
                            }
                        }
                    }
                }
            }

            if (P(pt) == Escape)
            {
                pt += 2;
                if (P(pt) == '*')
                {
                    pt++;
                    if (EndOfPattern(ref pt))
                    {
                        return _last;
                    }
                }
            }

            return NoMatch;
        }

        /// <summary>Steps over a parenthesis, then whether the pattern ends there.</summary>
        private readonly bool EndOfPattern(ref int pt)
        {
            if (P(pt) == Group)
            {
                pt++;
            }

            return P(pt) == '\0';
        }

        /// <summary>Records where the parenthesis at code position <paramref name="codeIndex"/> stands in the text.</summary>
        private readonly void Mark(int codeIndex, int textIndex)
        {
            if (!_substrings)
            {
                return;
            }

            var k = Array.IndexOf(_groups, codeIndex);
            if (k >= 0)
            {
                _marks[k] = textIndex;
            }
        }
    }

    /// <summary>The four resume points, most recent first.</summary>
    private struct ResumePoints
    {
        private int _count;
        private (int Pt, int St) _a;
        private (int Pt, int St) _b;
        private (int Pt, int St) _c;
        private (int Pt, int St) _d;

        public void Push(int pt, int st)
        {
            // Note: Wazuh keeps four slots and fills the first free one; once all four are taken, further hand-overs
            // are not remembered.
            switch (_count)
            {
                case 0: _a = (pt, st); break;
                case 1: _b = (pt, st); break;
                case 2: _c = (pt, st); break;
                case 3: _d = (pt, st); break;
                default: return;
            }

            _count++;
        }

        public bool TryPop(out int pt, out int st)
        {
            (pt, st) = _count switch
            {
                4 => _d,
                3 => _c,
                2 => _b,
                1 => _a,
                _ => (0, 0),
            };
            if (_count == 0)
            {
                return false;
            }

            _count--;
            return true;
        }
    }
}
