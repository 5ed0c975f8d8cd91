namespace Spbe.Security.Identity;

/// <summary>Stable codes of the Identity capability; runbooks/identity.md handles them.</summary>
public static class IdentityErrors
{
    /// <summary>The NIP is not a well-formed 18-digit NIP.</summary>
    public const string InvalidNip = "IDN-0001";

    /// <summary>The OPD code is unknown or the OPD is inactive.</summary>
    public const string UnknownOpd = "IDN-0002";

    /// <summary>A role name is not one of the product's roles.</summary>
    public const string UnknownRole = "IDN-0003";

    /// <summary>An account with this NIP already exists.</summary>
    public const string DuplicateAccount = "IDN-0004";

    /// <summary>The password does not meet the policy.</summary>
    public const string WeakPassword = "IDN-0005";

    /// <summary>A client registration is invalid (grant, redirect URI, secret).</summary>
    public const string InvalidClient = "IDN-0006";

    /// <summary>A client with this client_id already exists.</summary>
    public const string DuplicateClient = "IDN-0007";

    /// <summary>No account has this NIP.</summary>
    public const string UnknownAccount = "IDN-0008";

    /// <summary>The account or client changed while the command ran; nothing was applied.</summary>
    public const string ConcurrentChange = "IDN-0009";

    /// <summary>No client has this client_id.</summary>
    public const string UnknownClient = "IDN-0010";

    /// <summary>The caller may not manage this account (an opd-admin outside its OPD, or a role it may not grant).</summary>
    public const string Forbidden = "IDN-0011";

    /// <summary>The admin API was called without a valid bearer access token.</summary>
    public const string Unauthenticated = "IDN-0012";

    /// <summary><c>Sso:Issuer</c> is not set: the issuer follows the host of each request (fine on one machine, not
    /// behind a proxy or on a public address).</summary>
    public const string IssuerNotConfigured = "IDN-0013";
}
