using System.ComponentModel.DataAnnotations;

namespace Spbe.Security.Identity.Server;

/// <summary>Settings of the OpenID Connect provider. Bound from the <c>Sso</c> configuration section.</summary>
public sealed class SsoOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "Sso";

    /// <summary>The issuer (<c>iss</c>), e.g. <c>https://sso.kota.go.id/</c>. When unset, the request's scheme and host.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public Uri? Issuer { get; set; }

    /// <summary>The algorithm of new token-signing keys: <c>ES256</c> or <c>RS256</c>.</summary>
    /// <value>The default value is <c>ES256</c>.</value>
    [Required]
    [AllowedValues("ES256", "RS256", ErrorMessage = "Sso:SigningAlgorithm must be ES256 or RS256.")]
    public string SigningAlgorithm { get; set; } = SsoDefaults.SigningAlgorithm;

    /// <summary>Lifetime of access tokens.</summary>
    /// <value>The default value is 10 minutes.</value>
    [Range(typeof(TimeSpan), "00:01:00", "1.00:00:00")]
    public TimeSpan AccessTokenLifetime { get; set; } = SsoDefaults.AccessTokenLifetime;

    /// <summary>Lifetime of identity tokens.</summary>
    /// <value>The default value is 10 minutes.</value>
    [Range(typeof(TimeSpan), "00:01:00", "1.00:00:00")]
    public TimeSpan IdentityTokenLifetime { get; set; } = SsoDefaults.IdentityTokenLifetime;

    /// <summary>Lifetime of a refresh token (each use issues a new one and retires the old one).</summary>
    /// <value>The default value is 8 hours (a working day).</value>
    [Range(typeof(TimeSpan), "00:05:00", "90.00:00:00")]
    public TimeSpan RefreshTokenLifetime { get; set; } = SsoDefaults.RefreshTokenLifetime;

    /// <summary>Lifetime of authorization codes.</summary>
    /// <value>The default value is 1 minute.</value>
    [Range(typeof(TimeSpan), "00:00:10", "00:10:00")]
    public TimeSpan AuthorizationCodeLifetime { get; set; } = SsoDefaults.AuthorizationCodeLifetime;

    /// <summary>How many sign-in form submissions (password, second factor, device code) one client address may make
    /// per minute; beyond that the pages answer 429 until the minute is over.</summary>
    /// <value>The default value is 30.</value>
    [Range(1, 100_000)]
    public int SignInAttemptsPerMinute { get; set; } = SsoDefaults.SignInAttemptsPerMinute;

    /// <summary>How long a token-signing key signs new tokens before a fresh key takes over. The retired key stays
    /// in the JWKS until every token it signed has expired.</summary>
    /// <value>The default value is 30 days.</value>
    [Range(typeof(TimeSpan), "01:00:00", "365.00:00:00")]
    public TimeSpan SigningKeyRotation { get; set; } = SsoDefaults.SigningKeyRotation;

    /// <summary>Whether the admin API accepts only tokens of a sign-in with a second factor (<c>acr</c> MFA).</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool AdminApiRequiresMfa { get; set; } = true;
}
