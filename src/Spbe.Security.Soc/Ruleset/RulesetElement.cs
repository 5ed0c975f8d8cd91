namespace Spbe.Security.Soc.Ruleset;

/// <summary>One element of a decoder or rule file: its attributes in order, its text exactly as written (for an element
/// with children, the text between them, trimmed), its children, and the line it starts on.</summary>
public sealed record RulesetElement(string Name, IReadOnlyList<KeyValuePair<string, string>> Attributes, string Text,
    IReadOnlyList<RulesetElement> Children, int Line)
{
    /// <summary>The value of attribute <paramref name="name"/> (the last one given), or null.</summary>
    public string? Attribute(string name) =>
        Attributes.LastOrDefault(a => string.Equals(a.Key, name, StringComparison.Ordinal)) is { Key: not null } found ? found.Value : null;
}
