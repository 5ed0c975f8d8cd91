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
}
