namespace Spbe.Security.Data;

/// <summary>One thing initialisation made, changed or found in place.</summary>
/// <param name="Action">What was done.</param>
/// <param name="Item">What it concerns, e.g. <c>data/keys/master.key</c>.</param>
/// <param name="Detail">A short explanation, or empty.</param>
public sealed record InitializationStep(InitializationAction Action, string Item, string Detail)
{
    /// <summary>Something new was written.</summary>
    public static InitializationStep Created(string item, string detail = "") => new(InitializationAction.Created, item, detail);

    /// <summary>Something existing was brought up to date.</summary>
    public static InitializationStep Updated(string item, string detail = "") => new(InitializationAction.Updated, item, detail);

    /// <summary>Something was already in place and left alone.</summary>
    public static InitializationStep Kept(string item, string detail = "") => new(InitializationAction.Kept, item, detail);
}
