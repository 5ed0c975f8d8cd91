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

    /// <summary>Signs <paramref name="user"/> in (replacing any session and the half-finished two-factor state).</summary>
    public static async Task SignInAsync(HttpContext context, SignInManager<AsnUser> signIn, AsnUser user, IEnumerable<string> methods)
    {
        await context.SignOutAsync(IdentityConstants.TwoFactorUserIdScheme);
        await signIn.SignInWithClaimsAsync(user, isPersistent: false, [.. methods.Select(m => new Claim("amr", m))]);
        if (signIn.UserManager is SpbeUserManager manager)
        {
            await manager.ResetLockoutStreakAsync(user);
        }
    }

    /// <summary>The return URL if it is local, else the home page: nothing redirects off-site from here.</summary>
    public static string LocalOrHome(Microsoft.AspNetCore.Mvc.IUrlHelper url, string? returnUrl) =>
        url.IsLocalUrl(returnUrl) ? returnUrl! : "/";
}
