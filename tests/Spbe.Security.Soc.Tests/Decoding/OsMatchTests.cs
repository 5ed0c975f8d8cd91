using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Spbe.Security.Soc.Decoding;

public sealed class OsMatchTests
{
    [Theory]
    [InlineData("failure", "PAM: Authentication FAILURE for root", true)]
    [InlineData("^pam", "PAM: Authentication failure", true)]
    [InlineData("^pam", "x pam", false)]
    [InlineData("root$", "failure for ROOT", true)]
    [InlineData("root$", "root login", false)]
    [InlineData("^exact$", "EXACT", true)]
    [InlineData("^exact$", "exact!", false)]
    [InlineData("^$", "", true)]
    [InlineData("^$", "x", false)]
    [InlineData("nothing|", "anything", true)]
    [InlineData("^", "anything", true)]
    [InlineData("$", "anything", true)]
    [InlineData("error|denied|refused", "connection REFUSED", true)]
    [InlineData("error|denied|refused", "accepted", false)]
    [InlineData("!error", "accepted", true)]
    [InlineData("!error", "an error", false)]
    public void IsMatch_FollowsWazuhsSyntax(string pattern, string text, bool expected) =>
        Assert.Equal(expected, OsMatch.Compile(pattern).IsMatch(text));

    [Theory]
    [InlineData("kit", "k\u0131t")]
    [InlineData("kit", "K\u0130T")]
    [InlineData("kelvin", "\u212Aelvin")]
    [InlineData("strasse", "stra\u00DFe")]
    public void IsMatch_FoldsOnlyAsciiCase(string pattern, string text) =>
        Assert.False(OsMatch.Compile(pattern).IsMatch(text));

    [Property(MaxTest = 20000, Arbitrary = [typeof(Cases)])]
    public bool IsMatch_AgreesWithTheReference((string Pattern, string Text) c) =>
        OsMatch.Compile(c.Pattern).IsMatch(c.Text) == Reference(c.Pattern, c.Text);

    /// <summary>OS_Match as documented: '|' alternatives, '^' at the start and '$' at the end anchor, ASCII letters
    /// without case, an empty alternative matches everything, a leading '!' negates.</summary>
    private static bool Reference(string pattern, string text)
    {
        var negate = pattern.StartsWith('!');
        var folded = Fold(text);
        var any = (negate ? pattern[1..] : pattern).Split('|').Any(alternative =>
        {
            var a = Fold(alternative);
            var start = a.StartsWith('^');
            var end = a.EndsWith('$') && a.Length > (start ? 1 : 0);
            var body = a[(start ? 1 : 0)..(end ? a.Length - 1 : a.Length)];
            return (start, end) switch
            {
                (true, true) => folded == body,
                (true, false) => folded.StartsWith(body, StringComparison.Ordinal),
                (false, true) => folded.EndsWith(body, StringComparison.Ordinal),
                _ => folded.Contains(body, StringComparison.Ordinal),
            };
        });
        return any != negate;
    }

    private static string Fold(string s) => string.Concat(s.Select(c => c is >= 'A' and <= 'Z' ? (char)(c + 32) : c));

    public static class Cases
    {
        public static Arbitrary<(string, string)> Pairs()
        {
            var letters = "abAB1 :\u0131\u0130\u212A".ToCharArray();
            var word = Gen.Elements(letters).ListOf().Select(l => new string([.. l.Take(5)]));
            var alternative = from w in word from head in Gen.Elements("", "^") from tail in Gen.Elements("", "$") select head + w + tail;
            var pattern = from alts in alternative.ListOf() from bang in Gen.Elements("", "", "!") select bang + string.Join('|', alts.Take(4).DefaultIfEmpty("a"));
            var text = Gen.Elements(letters).ListOf().Select(l => new string([.. l.Take(16)]));
            return (from p in pattern from t in text select (p, t)).ToArbitrary();
        }
    }
}
