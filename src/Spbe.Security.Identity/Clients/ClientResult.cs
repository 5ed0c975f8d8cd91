namespace Spbe.Security.Identity.Clients;

/// <summary>The outcome of registering a client: its client_id and, for a generated secret, the secret (shown once).</summary>
public sealed record ClientResult(string? ClientId, string? GeneratedSecret, string? ErrorCode, string? Reason)
{
    /// <summary>Whether the registration succeeded.</summary>
    public bool Succeeded => ErrorCode is null;

    internal static ClientResult Fail(string code, string reason) => new(null, null, code, reason);
}
