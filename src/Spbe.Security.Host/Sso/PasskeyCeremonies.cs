using Microsoft.AspNetCore.Identity;
using Spbe.Security.Identity.Accounts;
using Spbe.Security.Identity.Events;
using Spbe.Security.Identity.Server;

namespace Spbe.Security.Host.Sso;

/// <summary>
/// The server side of passkey ceremonies (ASP.NET Core Identity's WebAuthn support): registration for a signed-in
/// account, and assertion for a passwordless sign-in or as the second factor after the password. A passkey with
/// user verification counts as multi-factor (<c>amr</c> hwk + user + mfa).
/// </summary>
internal static class PasskeyCeremonies
{
    /// <summary>The amr values of a passkey sign-in with user verification.</summary>
    public static readonly string[] Methods = [AuthenticationMethods.HardwareKey, AuthenticationMethods.UserPresence, AuthenticationMethods.Mfa];

    /// <summary>Checks an assertion and returns the account it proves, with its stored passkey updated (sign count),
    /// or why it proves none.</summary>
    public static async Task<(AsnUser? User, string? Failure)> AssertAsync(SignInManager<AsnUser> signIn, string? credentialJson)
    {
        if (string.IsNullOrEmpty(credentialJson))
        {
            return (null, "no credential");
        }

        var assertion = await signIn.PerformPasskeyAssertionAsync(credentialJson);
        if (!assertion.Succeeded)
        {
            return (null, assertion.Failure?.Message ?? "assertion failed");
        }

        if (assertion.User is not { Disabled: false } user || await signIn.UserManager.IsLockedOutAsync(user))
        {
            return (null, "account disabled or locked out");
        }

        await signIn.UserManager.AddOrUpdatePasskeyAsync(user, assertion.Passkey);
        return (user, null);
    }

    /// <summary>Records a sign-in attempt with a passkey.</summary>
    public static ValueTask RecordAsync(ISecurityEventSink events, TimeProvider time, HttpContext context, AsnUser? user, string reason) =>
        events.WriteAsync(new SecurityEvent(time.GetUtcNow(), SecurityEventActions.Login, user is null ? "failure" : "success", UserName: user?.Nip,
            SourceIp: context.Connection.RemoteIpAddress?.ToString(), Opd: user?.OpdCode, Reason: reason));
}
