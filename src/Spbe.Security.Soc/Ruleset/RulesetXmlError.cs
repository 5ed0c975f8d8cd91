namespace Spbe.Security.Soc.Ruleset;

/// <summary>Why a decoder or rule file could not be read completely, and on which line.</summary>
public sealed record RulesetXmlError(int Line, string Message);
