namespace Spbe.Security.Policies;

/// <summary>Stable codes for policy-file problems; runbooks/policies.md handles them.</summary>
public static class PolicyErrors
{
    /// <summary>The file is not well-formed YAML or JSON.</summary>
    public const string Syntax = "POL-0001";

    /// <summary>A required key is missing or empty.</summary>
    public const string Missing = "POL-0002";

    /// <summary>A value is not allowed (format, range, unknown reference).</summary>
    public const string Invalid = "POL-0003";

    /// <summary>A key the schema does not know (usually a typo).</summary>
    public const string UnknownKey = "POL-0004";

    /// <summary>A value that must be unique appears twice.</summary>
    public const string Duplicate = "POL-0005";

    /// <summary>A required file or the policies directory is missing.</summary>
    public const string FileMissing = "POL-0006";

    /// <summary>A node has the wrong shape (a list where a mapping is expected, and so on).</summary>
    public const string WrongType = "POL-0007";
}
