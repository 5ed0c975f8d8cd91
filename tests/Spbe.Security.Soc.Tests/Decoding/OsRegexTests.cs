using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Spbe.Security.Soc.Decoding;

public sealed class OsRegexTests
{
    [Theory]
    [InlineData(@"^Accepted \S+ for (\S+) from (\S+) port (\d+)", "Accepted password for root from 10.0.0.5 port 22 ssh2", new[] { "root", "10.0.0.5", "22" })]
    [InlineData(@"user (\w+)", "Failed login for USER budi-01@opd_x.", new[] { "budi-01@opd_x" })]
    [InlineData(@"from (\S+)$", "connect from 192.168.1.1", new[] { "192.168.1.1" })]
    [InlineData(@"^(\d+)\p(\d+)", "12:34", new[] { "12", "34" })]
    public void TryMatch_CapturesTheGroups(string pattern, string text, string[] expected)
    {
        var captures = new List<string>();
        Assert.True(OsRegex.Compile(pattern).TryMatch(text, 0, captures, out _));
        Assert.Equal(expected, captures);
    }

    [Theory]
    [InlineData(@"FAILED password", "Failed Password for x", true)]
    [InlineData(@"a\sb", "a\tb", false)]
    [InlineData(@"a\tb", "a\tb", true)]
    [InlineData(@"a+b", "aab", false)]
    [InlineData(@"a+b", "xa+b", true)]
    [InlineData(@"\w+\.com", "host.example.com", true)]
    [InlineData(@"^\w+$", "abc.def", false)]
    [InlineData(@"\W", "abc", false)]
    [InlineData(@"\W", "ab€", true)]
    [InlineData(@"^abc|def$", "xxdef", true)]
    [InlineData(@"^abc|def$", "xabc", false)]
    [InlineData(@"\$\(\)\|\\", "cost $()|\\", true)]
    [InlineData(@"^$", "", false)]
    [InlineData(@"", "anything", false)]
    public void IsMatch_FollowsWazuhsSyntax(string pattern, string text, bool expected) =>
        Assert.Equal(expected, OsRegex.Compile(pattern).IsMatch(text));

    [Theory]
    [InlineData("abc", true)]
    [InlineData("123", false)]
    public void IsMatch_OnlyAStarRepetition_MatchesOnlyWhereItTakesNothing(string text, bool expected) =>
        Assert.Equal(expected, OsRegex.Compile(@"\d*").IsMatch(text));

    [Theory]
    [InlineData(".x1xAa  A", true)]
    [InlineData("xA", true)]
    [InlineData("x", true)]
    public void IsMatch_EndOfTextCheck_CanSkipAClassBeforeAStarRepetition(string text, bool expected) =>
        // Note: Wazuh's matcher reaches the end of the text inside "\w+", and its end check then steps over "\W" on its
        // way to "\s*": the text matches although no \W character follows. Reproduced on purpose.
        Assert.Equal(expected, OsRegex.Compile(@"(\w+\W\s*)$").IsMatch(text));

    [Fact]
    public void TryMatch_End_IsTheLastCharacterConsumed()
    {
        Assert.True(OsRegex.Compile("^sshd: ").TryMatch("sshd: Accepted", 0, null, out var end));
        Assert.Equal(5, end);
        Assert.True(OsRegex.Compile(@"port \d+ ").TryMatch("port 22 ssh2", 0, null, out end));
        Assert.Equal(7, end);
    }

    [Theory]
    [InlineData("(a(b))")]
    [InlineData(@"a\q")]
    [InlineData("(a")]
    [InlineData("a)")]
    [InlineData("(a|b)")]
    [InlineData("abc\\")]
    public void TryCompile_BadPattern_SaysWhy(string pattern)
    {
        Assert.False(OsRegex.TryCompile(pattern, out var regex, out var error));
        Assert.Null(regex);
        Assert.False(string.IsNullOrEmpty(error));
    }

    [Property(MaxTest = 5000, Arbitrary = [typeof(SafePatterns)])]
    public bool IsMatch_AgreesWithTheReferenceMatcher_WhereBacktrackingIsNotNeeded(SafePatterns.Case c)
    {
        var regex = OsRegex.Compile(c.Pattern);
        var captures = new List<string>();
        var matched = regex.TryMatch(c.Text, 0, captures, out _);
        var expected = OsRegexReference.Match(c.Pattern, c.Text);
        // Note: a group that matches nothing at the very end of the text is not reported by Wazuh (its closing
        // parenthesis is never reached), so groups may be missing at the end, and then only empty ones.
        return regex.IsMatch(c.Text) == matched && matched == expected is not null
            && (!matched || (captures.SequenceEqual(expected!.Take(captures.Count)) && expected!.Skip(captures.Count).All(g => g.Length == 0)));
    }

    [Property(MaxTest = 20000, Arbitrary = [typeof(AnyPatterns)])]
    public bool TryMatch_Shortcuts_GiveTheMatchersAnswer(AnyPatterns.Case c)
    {
        if (!OsRegex.TryCompile(c.Pattern, out var regex, out _))
        {
            return true;
        }

        List<string> fast = [], full = [];
        var matched = regex!.TryMatch(c.Text, c.Start, fast, out var fastEnd, shortcuts: true);
        return matched == regex.TryMatch(c.Text, c.Start, full, out var fullEnd, shortcuts: false) && fastEnd == fullEnd && fast.SequenceEqual(full);
    }

    [Property(MaxTest = 3000)]
    public bool CompileAndMatch_AnyInput_NeverThrow(string pattern, string text)
    {
        if (OsRegex.TryCompile(pattern ?? "", out var regex, out _))
        {
            var captures = new List<string>();
            _ = regex!.IsMatch(text ?? "");
            _ = regex.TryMatch(text ?? "", 0, captures, out _);
        }

        _ = OsMatch.Compile(pattern ?? "").IsMatch(text ?? "");
        return true;
    }

    [Property(MaxTest = 3000, Arbitrary = [typeof(SafePatterns)])]
    public bool CompileAndMatch_RandomPatternsOfTheSyntax_NeverThrow(SafePatterns.Case c, string text)
    {
        var captures = new List<string>();
        _ = OsRegex.Compile(c.Pattern).TryMatch(c.Text + (text ?? ""), 0, captures, out _);
        return true;
    }

    /// <summary>Patterns of every construct (anchors, alternatives, groups, classes, repetitions, and the plain
    /// characters the shortcuts look for) over a small alphabet, valid or not, with texts and starting points.</summary>
    public static class AnyPatterns
    {
        private static readonly string[] Tokens =
        [
            "a", "b", "A", "1", ":", "%", " ", "-", ".", "+", "*", @"\d", @"\w", @"\s", @"\p", @"\S", @"\W", @"\D", @"\.",
            @"\d+", @"\w+", @"\S+", @"\.+", @"\d*", @"\w*", @"\s*", @"\p*", @"\.*", "(", ")", "|", "^", "$",
        ];

        public sealed record Case(string Pattern, string Text, int Start)
        {
            public override string ToString() => $"pattern '{Pattern}' text '{Text}' from {Start}";
        }

        public static Arbitrary<Case> Cases()
        {
            var pattern = Gen.Elements(Tokens).ListOf().Select(t => string.Concat(t.Take(14)));
            var text = Gen.Elements("ab1A :%-.(".ToCharArray()).ListOf().Select(t => new string([.. t.Take(24)]));
            var gen = from p in pattern from t in text from s in Gen.Choose(0, t.Length) select new Case(p, t, s);
            return gen.ToArbitrary();
        }
    }

    /// <summary>
    /// Patterns where Wazuh's matcher needs no backtracking beyond its own: every repeated class is followed by
    /// something that cannot match the same character (or ends its alternative), with groups around any run of
    /// elements, anchors and alternatives; texts over the same small alphabet, so that matches are frequent.
    /// </summary>
    public static class SafePatterns
    {
        private const string Alphabet = "ab1 .-Ax";

        private static readonly (string Code, Func<char, bool> Accepts)[] Classes =
        [
            ("\\d", char.IsAsciiDigit), ("\\w", c => char.IsAsciiLetterOrDigit(c) || c is '_' or '@' or '-'), ("\\s", c => c == ' '),
            ("\\p", c => "!\"#$%&'()*+,-.:;<=>?[]{|}".Contains(c, StringComparison.Ordinal)), ("\\D", c => !char.IsAsciiDigit(c)),
            ("\\W", c => !(char.IsAsciiLetterOrDigit(c) || c is '_' or '@' or '-')), ("\\S", c => c != ' '), ("\\.", _ => true),
        ];

        public sealed record Case(string Pattern, string Text)
        {
            public override string ToString() => $"pattern '{Pattern}' text '{Text}'";
        }

        public static Arbitrary<Case> Cases()
        {
            var literal = Gen.Elements("ab1 .-A".ToCharArray()).Select(c => (Code: c.ToString(), Accepts: (Func<char, bool>)(x => char.ToLowerInvariant(x) == char.ToLowerInvariant(c)), Repeat: '\0'));
            var single = Gen.Elements(Classes).Select(k => (k.Code, k.Accepts, Repeat: '\0'));
            var repeated = Gen.Elements(Classes).SelectMany(k => Gen.Elements('+', '*').Select(r => (Code: k.Code + r, k.Accepts, Repeat: r)));
            var element = Gen.Frequency((4, literal), (2, single), (3, repeated));
            // Note: an alternative that is only a '*' repetition is left out: when it matches characters, Wazuh never sets
            // its answer and reports no match (see IsMatch_OnlyAStarRepetition_MatchesOnlyWhereItTakesNothing).
            var alternative = Gen.Choose(1, 6).SelectMany(n => Gen.ListOf(element, n)).Select(Safe).Where(e => !(e.Count == 1 && e[0].Repeat == '*'))
                .SelectMany(elements => Gen.Choose(0, elements.Count).SelectMany(from => Gen.Choose(from, elements.Count).Select(to => (elements, from, to))))
                .SelectMany(t => Gen.Elements(true, false).SelectMany(grouped => Gen.Elements("", "^").SelectMany(begin => Gen.Elements("", "$")
                    .Select(end => begin + Render(t.elements, grouped && t.to > t.from ? t.from : -1, t.to) + end))));
            var pattern = Gen.Choose(1, 3).SelectMany(n => Gen.ListOf(alternative, n)).Select(parts => string.Join('|', parts));
            var text = Gen.Choose(0, 12).SelectMany(n => Gen.ArrayOf(Gen.Elements(Alphabet.ToCharArray()), n)).Select(c => new string(c));
            return pattern.SelectMany(p => text.Select(t => new Case(p, t))).ToArbitrary();
        }

        /// <summary>Drops the elements that would follow a repeated class with anything but one plain element that cannot
        /// match the same character (an optional one would let the search need to take characters back).</summary>
        private static List<(string Code, Func<char, bool> Accepts, char Repeat)> Safe(IList<(string Code, Func<char, bool> Accepts, char Repeat)> elements)
        {
            var kept = new List<(string Code, Func<char, bool> Accepts, char Repeat)>();
            foreach (var e in elements)
            {
                if (kept.Count > 0 && kept[^1].Repeat != '\0'
                    && (e.Repeat != '\0' || Alphabet.Concat("_@!\"#$%&'()*+,:;<=>?[]{|}\t").Any(c => kept[^1].Accepts(c) && e.Accepts(c))))
                {
                    continue;
                }

                // Note: nor a '*' repetition right after a class: at the end of the text Wazuh's check of what is left
                // can then skip that class (see IsMatch_EndOfTextCheck_CanSkipAClassBeforeAStarRepetition).
                if (kept.Count > 0 && e.Repeat == '*' && kept[^1].Code.StartsWith('\\'))
                {
                    continue;
                }

                kept.Add(e);
            }

            return kept;
        }

        private static string Render(List<(string Code, Func<char, bool> Accepts, char Repeat)> elements, int open, int close)
        {
            var text = new System.Text.StringBuilder();
            for (var i = 0; i <= elements.Count; i++)
            {
                if (i == open)
                {
                    text.Append('(');
                }

                if (open >= 0 && i == close)
                {
                    text.Append(')');
                }

                if (i < elements.Count)
                {
                    text.Append(elements[i].Code);
                }
            }

            return text.ToString();
        }
    }
}
