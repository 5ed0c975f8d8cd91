using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Spbe.Security.Identity.Accounts;
using Spbe.Security.Host.Sso;
using Spbe.Security.Identity.Events;

namespace Spbe.Security.Host.Pages;

/// <summary>The sign-in page: NIP and password, with lockout after repeated failures; accounts with a second factor
/// continue on <see cref="MasukVerifikasiModel"/>.</summary>
[AllowAnonymous]
public sealed class MasukModel(SignInManager<AsnUser> signIn, IPasswordHasher<AsnUser> hasher, ISecurityEventSink events, UiText text, TimeProvider time) : PageModel
{
    private static readonly AsnUser Nobody = new() { DisplayName = "-", OpdCode = "-" };
    private static string? _nobodyHash;

    [BindProperty]
    public LoginInput Input { get; set; } = new();

    /// <summary>Where to go after signing in; only local URLs are followed.</summary>
    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public string? Error { get; private set; }

    /// <summary>The passkey credential (JSON) posted by passkey.js.</summary>
    [BindProperty]
    public string? Credential { get; set; }

    public void OnGet()
    {
    }

    /// <summary>WebAuthn request options for a passwordless sign-in (any passkey of any account).</summary>
    public async Task<IActionResult> OnPostPasskeyOptionsAsync() => Content(await signIn.MakePasskeyRequestOptionsAsync(user: null), "application/json");

    /// <summary>A passwordless sign-in with a passkey.</summary>
    public async Task<IActionResult> OnPostPasskeyAsync()
    {
        var (user, failure) = await PasskeyCeremonies.AssertAsync(signIn, Credential);
        await PasskeyCeremonies.RecordAsync(events, time, HttpContext, user, user is null ? "passkey: " + failure : "passkey");
        if (user is null)
        {
            Error = text["Passkey tidak dikenali."];
            return Page();
        }

        await SessionSignIn.SignInAsync(HttpContext, signIn, user, PasskeyCeremonies.Methods);
        return LocalRedirect(SessionSignIn.LocalOrHome(Url, ReturnUrl));
    }

    public async Task<IActionResult> OnPostAsync()
    {
        ModelState.Remove(nameof(Credential));
        if (!ModelState.IsValid)
        {
            Error = text["Isi NIP (18 digit) dan kata sandi."];
            return Page();
        }

        var account = await signIn.UserManager.FindByNameAsync(Input.Nip);
        var result = await signIn.PasswordSignInAsync(Input.Nip, Input.Password, isPersistent: false, lockoutOnFailure: true);
        if (account is null || result.IsLockedOut || result.IsNotAllowed)
        {
            // Note: Identity refuses these without hashing; hash anyway, so that an unknown, locked or disabled NIP
            // costs as long as a wrong password and timing reveals nothing.
            _nobodyHash ??= hasher.HashPassword(Nobody, "tidak-ada-akun-ini");
            hasher.VerifyHashedPassword(Nobody, _nobodyHash, Input.Password);
        }

        await events.WriteAsync(new SecurityEvent(
            time.GetUtcNow(),
            result.IsLockedOut ? SecurityEventActions.Lockout : SecurityEventActions.Login,
            result.Succeeded ? "success" : "failure",
            UserName: Input.Nip,
            SourceIp: HttpContext.Connection.RemoteIpAddress?.ToString(),
            Opd: account?.OpdCode,
            Reason: result.Succeeded ? "pwd" : result.RequiresTwoFactor ? "pwd, second factor next" : result.IsLockedOut ? "locked-out"
                : result.IsNotAllowed ? "disabled" : account is null ? "unknown-user" : "bad-password"));
        if (result.Succeeded)
        {
            await ((SpbeUserManager)signIn.UserManager).ResetLockoutStreakAsync(account!);
            return LocalRedirect(SessionSignIn.LocalOrHome(Url, ReturnUrl));
        }

        if (result.RequiresTwoFactor)
        {
            return RedirectToPage("/MasukVerifikasi", new { ReturnUrl = SessionSignIn.LocalOrHome(Url, ReturnUrl) });
        }

        // Note: one message for unknown NIP, wrong password, lockout and disabled account, so that the page does not
        // reveal which NIPs exist; the security event records the real reason for the admin and the SOC.
        Error = text["NIP atau kata sandi salah, atau akun sedang tidak dapat dipakai. Jika berulang, hubungi admin OPD Anda."];
        return Page();
    }

    public sealed class LoginInput
    {
        [Required]
        [RegularExpression("^[0-9]{18}$")]
        public string Nip { get; set; } = string.Empty;

        [Required]
        [DataType(DataType.Password)]
        public string Password { get; set; } = string.Empty;
    }
}
