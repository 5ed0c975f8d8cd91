using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Spbe.Security.Host.Sso;
using Spbe.Security.Identity.Accounts;
using Spbe.Security.Identity.Mfa;
using Spbe.Security.Identity.Server;

namespace Spbe.Security.Host.Pages.Akun;

/// <summary>Enrols an authenticator app (QR code, confirmation code) and hands out the recovery codes once.</summary>
[Authorize]
public sealed class MfaModel(SignInManager<AsnUser> signIn, MfaService mfa, UiText text, TimeProvider time) : PageModel
{
    [BindProperty]
    [Required]
    [StringLength(16)]
    public string Code { get; set; } = string.Empty;

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public bool Enrolled { get; private set; }

    public int RecoveryCodesLeft { get; private set; }

    public TotpEnrolment? Enrolment { get; private set; }

    public string? QrCode { get; private set; }

    public IReadOnlyList<string>? RecoveryCodes { get; private set; }

    public string? Error { get; private set; }

    public string Continue => SessionSignIn.LocalOrHome(Url, ReturnUrl);

    public async Task<IActionResult> OnGetAsync()
    {
        if (await signIn.UserManager.GetUserAsync(User) is not { Disabled: false } user)
        {
            return Challenge();
        }

        Enrolled = await mfa.IsEnrolledAsync(user);
        if (Enrolled)
        {
            RecoveryCodesLeft = await mfa.RecoveryCodesLeftAsync(user);
            return Page();
        }

        if (!SessionSignIn.IsRecent(User, time))
        {
            return SignInAgain();
        }

        Enrolment = await mfa.BeginEnrolmentAsync(user);
        QrCode = QrSvg.Render(Enrolment.Uri, text["Aktifkan verifikasi dua langkah"]);
        return Page();
    }

    private RedirectToPageResult SignInAgain() =>
        RedirectToPage("/Masuk", new { ReturnUrl = Url.Page("/Akun/Mfa", new { ReturnUrl }) });

    public async Task<IActionResult> OnPostAsync()
    {
        if (await signIn.UserManager.GetUserAsync(User) is not { Disabled: false } user)
        {
            return Challenge();
        }

        // Note: an existing authenticator is replaced only after an administrator's reset, never by whoever holds a
        // session; and enrolling needs a recent sign-in, so a stolen session cannot attach its own authenticator.
        if (await mfa.IsEnrolledAsync(user))
        {
            return RedirectToPage();
        }

        if (!SessionSignIn.IsRecent(User, time))
        {
            return SignInAgain();
        }

        var codes = ModelState.IsValid ? await mfa.ConfirmEnrolmentAsync(user, Code, HttpContext.Connection.RemoteIpAddress?.ToString()) : null;
        if (codes is null)
        {
            Error = text["Kode salah atau sudah dipakai."];
            Enrolment = await mfa.BeginEnrolmentAsync(user);
            QrCode = QrSvg.Render(Enrolment.Uri, text["Aktifkan verifikasi dua langkah"]);
            return Page();
        }

        // Note: the session's sign-in (recent) plus the authenticator just proved: MFA from here, same moment of sign-in.
        await SessionSignIn.SignInAsync(HttpContext, signIn, user,
            [.. SessionSignIn.MethodsOf(User), AuthenticationMethods.OneTimePassword, AuthenticationMethods.Mfa], keepTimeOf: User);
        Enrolled = true;
        RecoveryCodes = codes;
        return Page();
    }
}
