namespace Spbe.Security.Identity.Accounts;

/// <summary>The outcome of an account operation on untrusted input: the account, or a stable code and reason.</summary>
public sealed record AccountResult(AsnUser? Account, string? ErrorCode, string? Reason)
{
    /// <summary>Whether the operation succeeded.</summary>
    public bool Succeeded => ErrorCode is null;

    internal static AccountResult Ok(AsnUser account) => new(account, null, null);

    internal static AccountResult Fail(string code, string reason) => new(null, code, reason);
}
