using Spbe.Security.Soc.Decoding;

namespace Spbe.Security.Soc.Rules;

/// <summary>One pattern condition of a rule on one value of the event; it holds when the pattern matches, or does not
/// with <c>negate="yes"</c>. A value the event lacks fails the condition either way.</summary>
internal sealed record FieldCheck(Pattern Pattern, bool Negate)
{
    public bool Holds(string? value) => value is not null && Pattern.IsMatch(value) != Negate;
}
