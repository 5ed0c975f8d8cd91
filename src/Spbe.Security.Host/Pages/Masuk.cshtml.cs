using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Spbe.Security.Identity.Accounts;
using Spbe.Security.Identity.Events;

namespace Spbe.Security.Host.Pages;

/// <summary>The sign-in page: NIP and password, with lockout after repeated failures.</summary>
[AllowAnonymous]
public sealed class MasukModel(SignInManager<AsnUser> signIn, IPasswordHasher<AsnUser> hasher, ISecurityEventSink events, TimeProvider time) : PageModel
{
    private static readonly AsnUser Nobody = new() { DisplayName = "-", OpdCode = "-" };
    private static string? _nobodyHash;

    [BindProperty]
    public LoginInput Input { get; set; } = new();

    /// <summary>Where to go after signing in; only local URLs are followed.</summary>
    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public string? Error { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (!ModelState.IsValid)
        {
            Error = "Isi NIP (18 digit) dan kata sandi.";
            return Page();
        }

        var account = await signIn.UserManager.FindByNameAsync(Input.Nip);
        if (account is null)
        {
            // Note: hash anyway, so that an unknown NIP costs as long as a wrong password and timing reveals nothing.
            _nobodyHash ??= hasher.HashPassword(Nobody, "tidak-ada-akun-ini");
            hasher.VerifyHashedPassword(Nobody, _nobodyHash, Input.Password);
        }

        var result = await signIn.PasswordSignInAsync(Input.Nip, Input.Password, isPersistent: false, lockoutOnFailure: true);
        await events.WriteAsync(new SecurityEvent(
            time.GetUtcNow(),
            result.IsLockedOut ? SecurityEventActions.Lockout : SecurityEventActions.Login,
            result.Succeeded ? "success" : "failure",
            UserName: Input.Nip,
            SourceIp: HttpContext.Connection.RemoteIpAddress?.ToString(),
            Opd: account?.OpdCode,
            Reason: result.Succeeded ? "pwd" : result.IsLockedOut ? "locked-out" : result.IsNotAllowed ? "disabled" : account is null ? "unknown-user" : "bad-password"));
        if (result.Succeeded)
        {
            return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl : "/");
        }

        // Note: one message for unknown NIP and wrong password, so the page does not reveal which NIPs exist.
        Error = result.IsLockedOut
            ? "Akun terkunci sementara karena terlalu banyak percobaan yang gagal. Coba lagi beberapa menit lagi."
            : result.IsNotAllowed ? "Akun ini dinonaktifkan. Hubungi admin OPD Anda."
            : "NIP atau kata sandi salah.";
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
