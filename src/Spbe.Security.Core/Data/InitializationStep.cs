namespace Spbe.Security.Data;

/// <summary>One thing initialisation made, changed or found in place.</summary>
/// <param name="Action"><c>created</c>, <c>updated</c> or <c>kept</c>.</param>
/// <param name="Item">What it concerns, e.g. <c>data/keys/master.key</c>.</param>
/// <param name="Detail">A short explanation, or empty.</param>
public sealed record InitializationStep(string Action, string Item, string Detail)
{
    /// <summary>Something new was written.</summary>
    public static InitializationStep Created(string item, string detail = "") => new("created", item, detail);

    /// <summary>Something existing was brought up to date.</summary>
    public static InitializationStep Updated(string item, string detail = "") => new("updated", item, detail);

    /// <summary>Something was already in place and left alone.</summary>
    public static InitializationStep Kept(string item, string detail = "") => new("kept", item, detail);
}
