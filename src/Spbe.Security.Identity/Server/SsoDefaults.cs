namespace Spbe.Security.Identity.Server;

/// <summary>Default values of <see cref="SsoOptions"/> and the provider's fixed endpoint paths.</summary>
public static class SsoDefaults
{
    /// <summary>ECDSA P-256 with SHA-256: small tokens, fast signing.</summary>
    public const string SigningAlgorithm = "ES256";

    /// <summary>Access tokens live 10 minutes.</summary>
    public static readonly TimeSpan AccessTokenLifetime = TimeSpan.FromMinutes(10);

    /// <summary>Identity tokens live 10 minutes.</summary>
    public static readonly TimeSpan IdentityTokenLifetime = TimeSpan.FromMinutes(10);

    /// <summary>Refresh tokens live a working day.</summary>
    public static readonly TimeSpan RefreshTokenLifetime = TimeSpan.FromHours(8);

    /// <summary>Authorization codes live a minute.</summary>
    public static readonly TimeSpan AuthorizationCodeLifetime = TimeSpan.FromMinutes(1);

    /// <summary>The authorization endpoint.</summary>
    public const string AuthorizationPath = "/connect/authorize";

    /// <summary>Default of <see cref="SsoOptions.SignInAttemptsPerMinute"/>.</summary>
    public const int SignInAttemptsPerMinute = 30;

    /// <summary>Default of <see cref="SsoOptions.SigningKeyRotation"/>.</summary>
    public static readonly TimeSpan SigningKeyRotation = TimeSpan.FromDays(30);

    /// <summary>The pushed authorization request endpoint (RFC 9126).</summary>
    public const string PushedAuthorizationPath = "/connect/par";

    /// <summary>The device authorization endpoint (RFC 8628).</summary>
    public const string DeviceAuthorizationPath = "/connect/device";

    /// <summary>Where a user types the code a device shows (RFC 8628 verification URI).</summary>
    public const string DeviceVerificationPath = "/perangkat";

    /// <summary>The scope that lets a client (an administration tool) call the Identity admin API for its user.</summary>
    public const string AdminScope = "spbe.admin";

    /// <summary>The audience of tokens for the Identity admin API (granted with <see cref="AdminScope"/>).</summary>
    public const string AdminAudience = "spbe-admin";

    /// <summary>The scope that lets a client (the CSIRT console, an analyst's tool) search SOC events for its user.</summary>
    public const string SocScope = "spbe.soc";

    /// <summary>The audience of tokens for the SOC API (granted with <see cref="SocScope"/>).</summary>
    public const string SocAudience = "spbe-soc";

    /// <summary>The audience of tokens for the signing (TTE) API, obtainable by token exchange (RFC 8693).</summary>
    public const string SigningAudience = "spbe-tte";

    /// <summary>The token endpoint.</summary>
    public const string TokenPath = "/connect/token";

    /// <summary>The userinfo endpoint.</summary>
    public const string UserInfoPath = "/connect/userinfo";

    /// <summary>The introspection endpoint.</summary>
    public const string IntrospectionPath = "/connect/introspect";

    /// <summary>The revocation endpoint.</summary>
    public const string RevocationPath = "/connect/revoke";

    /// <summary>The RP-initiated logout (end session) endpoint.</summary>
    public const string EndSessionPath = "/connect/logout";

    /// <summary>The JSON Web Key Set.</summary>
    public const string JwksPath = "/.well-known/jwks";

    /// <summary>The sign-in page.</summary>
    public const string LoginPath = "/masuk";

    /// <summary>The custom scope that releases the <c>opd</c> claim.</summary>
    public const string OpdScope = "opd";
}
