namespace Spbe.Security.Soc.Ruleset;

/// <summary>Something in a decoder, rule or list file that could not be loaded: where, and why. The rest loads.</summary>
public sealed record RulesetProblem(string File, int Line, string Message)
{
    /// <inheritdoc />
    public override string ToString() => $"{File}:{Line}: {Message}";
}
