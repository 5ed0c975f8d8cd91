using System.ComponentModel.DataAnnotations;
using System.Text;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Spbe.Security.Identity.Accounts;
using Spbe.Security.Pki.Authority;
using Spbe.Security.Pki.Profiles;

namespace Spbe.Security.Host.Pages;

/// <summary>
/// An official's certificate page: their requests and certificates, and a request for a signing certificate, either
/// for a key they hold (a CSR) or for a key the server generates and wraps under their passphrase. Only accounts with
/// the <c>signer</c> role may ask, and only after a recent sign-in.
/// </summary>
[Authorize]
public sealed class SertifikatModel(UserManager<AsnUser> users, RegistrationAuthority registration, TimeProvider time) : PageModel
{
    [BindProperty]
    public RequestInput Input { get; set; } = new();

    public IReadOnlyList<RegistrationInfo> Requests { get; private set; } = [];

    public bool MaySign { get; private set; }

    public string? Error { get; private set; }

    public string? ErrorCode { get; private set; }

    public RegistrationInfo? Submitted { get; private set; }

    public async Task<IActionResult> OnGetAsync()
    {
        if (await LoadAsync() is null)
        {
            return Challenge();
        }

        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (await LoadAsync() is not { } user)
        {
            return Challenge();
        }

        if (!MaySign)
        {
            return Forbid();
        }

        // Note: a stolen session must not be able to order a signing key in the official's name.
        if (!Sso.SessionSignIn.IsRecent(User, time))
        {
            return RedirectToPage("/Masuk", new { ReturnUrl = Url.Page("/Sertifikat") });
        }

        if (!ModelState.IsValid)
        {
            Error = "Permohonan tidak dapat diterima.";
            return Page();
        }

        var subject = new SubjectInfo(user.DisplayName, user.Nip, user.OpdCode, user.Jabatan, user.Email);
        var csr = string.IsNullOrWhiteSpace(Input.Csr) ? null : Input.Csr.Trim();
        if (csr is null && (string.IsNullOrEmpty(Input.Passphrase) || Input.Passphrase != Input.ConfirmPassphrase))
        {
            Error = "Isi CSR, atau frasa sandi dua kali yang sama.";
            return Page();
        }

        var result = await registration.RequestAsync(CertificateProfile.PejabatSigning, subject,
            csr is null ? (ReadOnlyMemory<byte>?)null : Encoding.UTF8.GetBytes(csr), csr is null ? Input.Passphrase : null, user.Nip, cancellationToken: HttpContext.RequestAborted);
        Input = new RequestInput();
        if (!result.Success)
        {
            (Error, ErrorCode) = ("Permohonan tidak dapat diterima.", result.ErrorCode);
            return Page();
        }

        Submitted = result.Value;
        await LoadAsync();
        return Page();
    }

    private async Task<AsnUser?> LoadAsync()
    {
        if (await users.GetUserAsync(User) is not { Disabled: false } user)
        {
            return null;
        }

        MaySign = await users.IsInRoleAsync(user, SpbeRoles.Signer);
        Requests = await registration.ListAsync(subjectId: user.Nip, cancellationToken: HttpContext.RequestAborted);
        return user;
    }

    /// <summary>The request form.</summary>
    public sealed class RequestInput
    {
        [StringLength(16 * 1024)]
        public string? Csr { get; set; }

        [StringLength(256)]
        [DataType(DataType.Password)]
        public string? Passphrase { get; set; }

        [StringLength(256)]
        [DataType(DataType.Password)]
        public string? ConfirmPassphrase { get; set; }
    }
}
