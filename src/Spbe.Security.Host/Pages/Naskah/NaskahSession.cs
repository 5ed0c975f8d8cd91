using System.Security.Claims;
using Spbe.Security.Identity.Server;

namespace Spbe.Security.Host.Pages.Naskah;

/// <summary>
/// What a session must show before it may sign: a sign-in with a second factor (<c>acr</c> MFA) within the last
/// <see cref="Window"/>. A session left open on a desk, or one that got by with the password alone, cannot sign.
/// </summary>
internal static class NaskahSession
{
    /// <summary>How recent the multi-factor sign-in must be.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(10);

    /// <summary>Whether <paramref name="session"/> may sign now.</summary>
    public static bool MaySign(ClaimsPrincipal session, TimeProvider time) =>
        SsoAcr.Of(Sso.SessionSignIn.MethodsOf(session)) == SsoAcr.Mfa && Sso.SessionSignIn.IsRecent(session, time, Window);
}
