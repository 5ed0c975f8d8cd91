namespace Spbe.Security.Identity.Events;

/// <summary>The <c>event.action</c> values the Identity capability emits.</summary>
public static class SecurityEventActions
{
    /// <summary>A password sign-in, successful or not.</summary>
    public const string Login = "sso-login";

    /// <summary>An account locked after repeated failures.</summary>
    public const string Lockout = "sso-lockout";

    /// <summary>A sign-out.</summary>
    public const string Logout = "sso-logout";

    /// <summary>A token response of the token endpoint: issued (success) or refused (failure, with the OAuth error).</summary>
    public const string Token = "sso-token";

    /// <summary>An account created by an administrator.</summary>
    public const string AccountCreated = "sso-account-created";

    /// <summary>A client application registered by an administrator.</summary>
    public const string ClientCreated = "sso-client-created";

    /// <summary>An account disabled by an administrator (its tokens are revoked).</summary>
    public const string AccountDisabled = "sso-account-disabled";

    /// <summary>An authenticator enrolment confirmed (success) or a wrong confirmation code (failure).</summary>
    public const string MfaEnrolled = "sso-mfa-enrolled";

    /// <summary>A second-factor check at sign-in or step-up (TOTP or recovery code).</summary>
    public const string MfaChallenge = "sso-mfa";

    /// <summary>Every second factor of an account removed by an administrator.</summary>
    public const string MfaReset = "sso-mfa-reset";

    /// <summary>A sign-in refused by the per-address rate limit.</summary>
    public const string RateLimited = "sso-rate-limited";

    /// <summary>A refresh token or authorization code presented again after its first use: what it issued is revoked.</summary>
    public const string RefreshReuse = "sso-refresh-reuse";

    /// <summary>A client that failed to authenticate at the token, introspection or revocation endpoint.</summary>
    public const string ClientAuthentication = "sso-client-auth";

    /// <summary>A client changed by an administrator (secret rotated, removed, updated).</summary>
    public const string ClientChanged = "sso-client-changed";

    /// <summary>An account changed by an administrator (roles, OPD, jabatan, enabled).</summary>
    public const string AccountChanged = "sso-account-changed";

    /// <summary>A back-channel logout token delivered to a client (success) or given up after retries (failure).</summary>
    public const string BackchannelLogout = "sso-backchannel-logout";

    /// <summary>A consent given or refused for a third-party client.</summary>
    public const string Consent = "sso-consent";

    /// <summary>A document was signed (TTE); outcome success, or failure with the refusal's code as reason.</summary>
    public const string TteSign = "tte-sign";

    /// <summary>A document's signatures were verified; the outcome is the indication.</summary>
    public const string TteVerify = "tte-verify";

    /// <summary>A naskah dinas workflow changed: created, or returned to its drafter (the reason says which).</summary>
    public const string TteNaskah = "tte-naskah";
}
