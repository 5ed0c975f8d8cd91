namespace Spbe.Security.Policies;

/// <summary>One problem in one policy file, located by line and column (1-based; 0 when unknown).</summary>
/// <param name="File">The file, relative to the policies directory's parent (e.g. <c>policies/identity/opd.yaml</c>).</param>
/// <param name="Line">The 1-based line, or 0 for the file as a whole.</param>
/// <param name="Column">The 1-based column, or 0.</param>
/// <param name="Code">A stable code from <see cref="PolicyErrors"/>.</param>
/// <param name="Reason">What is wrong, for an operator.</param>
public sealed record PolicyError(string File, int Line, int Column, string Code, string Reason)
{
    /// <summary>Where the problem is: <c>file:line:column</c>, or the file alone.</summary>
    public string Location => Line > 0 ? $"{File}:{Line}:{Column}" : File;

    /// <summary>The compiler-style form: <c>file:line:column: CODE reason</c>.</summary>
    public override string ToString() => $"{Location}: {Code} {Reason}";
}
