using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Spbe.Security.Host.Sso;
using Spbe.Security.Identity.Accounts;
using Spbe.Security.Identity.Events;
using Spbe.Security.Identity.Mfa;
using Spbe.Security.Identity.Server;

namespace Spbe.Security.Host.Pages;

/// <summary>
/// The second step of signing in (TOTP or recovery code), reached after the password for an account with MFA, or
/// from the authorization endpoint when an application asks for <c>acr_values=urn:spbe:acr:mfa</c> (step-up).
/// </summary>
[AllowAnonymous]
public sealed class MasukVerifikasiModel(
    SignInManager<AsnUser> signIn, MfaService mfa, ISecurityEventSink events, UiText text, TimeProvider time,
    IDataProtectionProvider protection) : PageModel
{
    // Note: the passkey ceremony keeps its state in Identity's two-factor cookie, replacing the half-finished sign-in
    // it holds; the account being signed in is remembered here meanwhile (sealed, five minutes).
    private const string PendingCookie = "__Host-spbe.mfa";

    [BindProperty]
    [Required]
    [StringLength(32)]
    public string Code { get; set; } = string.Empty;

    /// <summary>The passkey credential (JSON) posted by passkey.js, as the second factor.</summary>
    [BindProperty]
    public string? Credential { get; set; }

    /// <summary>WebAuthn request options for this account's passkeys.</summary>
    public async Task<IActionResult> OnPostPasskeyOptionsAsync()
    {
        if (await AccountAsync() is not { } user)
        {
            return Unauthorized();
        }

        if (_midSignIn)
        {
            Response.Cookies.Append(PendingCookie, Pending().Protect(user.Id.ToString(), TimeSpan.FromMinutes(5)),
                new CookieOptions { HttpOnly = true, Secure = true, SameSite = SameSiteMode.Strict, Path = "/", MaxAge = TimeSpan.FromMinutes(5) });
        }

        return Content(await signIn.MakePasskeyRequestOptionsAsync(user), "application/json");
    }

    private ITimeLimitedDataProtector Pending() =>
        protection.CreateProtector(PendingCookie).ToTimeLimitedDataProtector();

    /// <summary>The second factor with a passkey of the same account.</summary>
    public async Task<IActionResult> OnPostPasskeyAsync()
    {
        if (await AccountAsync() is not { } user)
        {
            return RedirectToPage("/Masuk", new { ReturnUrl = SessionSignIn.LocalOrHome(Url, ReturnUrl) });
        }

        var (proven, failure) = await PasskeyCeremonies.AssertAsync(signIn, Credential);
        if (proven?.Id != user.Id)
        {
            await PasskeyCeremonies.RecordAsync(events, time, HttpContext, null, "passkey as second factor: " + (failure ?? "another account's passkey"));
            Error = text["Passkey tidak dikenali."];
            return Page();
        }

        await SessionSignIn.SignInAsync(HttpContext, signIn, user, [.. MethodsAfter(null), .. PasskeyCeremonies.Methods]);
        Response.Cookies.Delete(PendingCookie, new CookieOptions { Secure = true, Path = "/" });
        await PasskeyCeremonies.RecordAsync(events, time, HttpContext, user, "pwd+passkey");
        return LocalRedirect(SessionSignIn.LocalOrHome(Url, ReturnUrl));
    }

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public string? Error { get; private set; }

    public async Task<IActionResult> OnGetAsync() => await AccountAsync() switch
    {
        null => RedirectToPage("/Masuk", new { ReturnUrl = SessionSignIn.LocalOrHome(Url, ReturnUrl) }),
        var user when !await mfa.IsEnrolledAsync(user) && (await signIn.UserManager.GetPasskeysAsync(user)).Count == 0 => RedirectToPage("/Akun/Mfa", new { ReturnUrl = SessionSignIn.LocalOrHome(Url, ReturnUrl) }),
        _ => Page(),
    };

    public async Task<IActionResult> OnPostAsync()
    {
        if (await AccountAsync() is not { } user)
        {
            return RedirectToPage("/Masuk", new { ReturnUrl = SessionSignIn.LocalOrHome(Url, ReturnUrl) });
        }

        var sourceIp = HttpContext.Connection.RemoteIpAddress?.ToString();
        var check = ModelState.IsValid ? await mfa.VerifyAsync(user, Code, sourceIp) : MfaCheck.Invalid;
        if (check is MfaCheck.Totp or MfaCheck.RecoveryCode)
        {
            await SessionSignIn.SignInAsync(HttpContext, signIn, user, MethodsAfter(check == MfaCheck.Totp ? AuthenticationMethods.OneTimePassword : null));
            await events.WriteAsync(new SecurityEvent(time.GetUtcNow(), SecurityEventActions.Login, "success", UserName: user.Nip,
                SourceIp: sourceIp, Opd: user.OpdCode, Reason: check == MfaCheck.Totp ? "pwd+otp" : "pwd+recovery-code"));
            return LocalRedirect(SessionSignIn.LocalOrHome(Url, ReturnUrl));
        }

        Error = text[check == MfaCheck.LockedOut
            ? "Akun terkunci sementara karena terlalu banyak percobaan yang gagal. Coba lagi beberapa menit lagi."
            : "Kode salah atau sudah dipakai."];
        return Page();
    }

    // Note: half-way through a sign-in the password was just checked; on a step-up the session's own methods stand.
    private string[] MethodsAfter(string? factor)
    {
        string[] before = _midSignIn || User.Identity?.IsAuthenticated != true ? [AuthenticationMethods.Password] : SessionSignIn.MethodsOf(User);
        return [.. before, .. factor is null ? Array.Empty<string>() : [factor], AuthenticationMethods.Mfa];
    }

    // Note: either half-way through a sign-in (password checked, two-factor cookie set) or already signed in (step-up).
    private bool _midSignIn;

    private async Task<AsnUser?> AccountAsync()
    {
        var user = await signIn.GetTwoFactorAuthenticationUserAsync();
        if (user is null && Request.Cookies.TryGetValue(PendingCookie, out var pending))
        {
            try
            {
                user = await signIn.UserManager.FindByIdAsync(Pending().Unprotect(pending));
            }
            catch (System.Security.Cryptography.CryptographicException)
            {
                user = null;
            }
        }

        _midSignIn = user is not null;
        if (user is null && User.Identity?.IsAuthenticated == true)
        {
            user = await signIn.UserManager.GetUserAsync(User);
        }

        return user is null || user.Disabled ? null : user;
    }
}
