namespace Spbe.Security.Data;

/// <summary>What initialisation did to one item.</summary>
public enum InitializationAction
{
    /// <summary>Something new was written.</summary>
    Created,

    /// <summary>Something existing was brought up to date.</summary>
    Updated,

    /// <summary>Something was already in place and left alone.</summary>
    Kept,
}
