using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Spbe.Security.Identity.Accounts;
using Spbe.Security.Identity.Server;

namespace Spbe.Security.Host.Sso;

/// <summary>Issues the SSO session cookie with the <c>amr</c> values of what the user just proved.</summary>
internal static class SessionSignIn
{
    /// <summary>Password plus TOTP.</summary>
    public static readonly string[] PasswordAndOtp = [AuthenticationMethods.Password, AuthenticationMethods.OneTimePassword, AuthenticationMethods.Mfa];

    /// <summary>Password plus a recovery code.</summary>
    public static readonly string[] PasswordAndRecoveryCode = [AuthenticationMethods.Password, AuthenticationMethods.Mfa];

    /// <summary>How recent the sign-in must be to enrol a second factor (an authenticator or a passkey).</summary>
    public static readonly TimeSpan EnrolmentWindow = TimeSpan.FromMinutes(10);

    /// <summary>Signs <paramref name="user"/> in (replacing any session and the half-finished two-factor state). With
    /// <paramref name="keepTimeOf"/>, the session keeps that session's moment of authentication (an enrolment adds a
    /// factor to a sign-in; it is not a new sign-in).</summary>
    public static async Task SignInAsync(HttpContext context, SignInManager<AsnUser> signIn, AsnUser user, IEnumerable<string> methods, ClaimsPrincipal? keepTimeOf = null)
    {
        await context.SignOutAsync(IdentityConstants.TwoFactorUserIdScheme);
        var claims = methods.Distinct(StringComparer.Ordinal).Select(m => new Claim("amr", m)).ToList();
        if (keepTimeOf is not null)
        {
            claims.AddRange(keepTimeOf.Claims.Where(c => c.Type is OpenIddict.Abstractions.OpenIddictConstants.Claims.AuthenticationTime or SpbeSignInManager.PreciseAuthenticationTime)
                .Select(c => new Claim(c.Type, c.Value, c.ValueType)));
        }

        await signIn.SignInWithClaimsAsync(user, isPersistent: false, claims);
        if (signIn.UserManager is SpbeUserManager manager)
        {
            await manager.ResetLockoutStreakAsync(user);
        }
    }

    /// <summary>The <c>amr</c> values of the current session.</summary>
    public static string[] MethodsOf(ClaimsPrincipal session) => [.. session.FindAll("amr").Select(c => c.Value)];

    /// <summary>Whether the session's sign-in is recent enough to enrol a second factor (or happened within
    /// <paramref name="window"/>, when given).</summary>
    public static bool IsRecent(ClaimsPrincipal session, TimeProvider time, TimeSpan? window = null) =>
        SpbeSignInManager.AuthenticatedAt(session) is { } at && time.GetUtcNow() - at <= (window ?? EnrolmentWindow);

    /// <summary>The return URL if it is local, else the home page: nothing redirects off-site from here.</summary>
    public static string LocalOrHome(Microsoft.AspNetCore.Mvc.IUrlHelper url, string? returnUrl) =>
        url.IsLocalUrl(returnUrl) ? returnUrl! : "/";
}
