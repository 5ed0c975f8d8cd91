using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Spbe.Security.Identity.Accounts;
using Spbe.Security.Pki;
using Spbe.Security.Pki.Authority;
using Spbe.Security.Pki.Profiles;
using Spbe.Security.Pki.Persistence;

namespace Spbe.Security.Host.Pages;

/// <summary>
/// The pki-officer's queue: pending certificate requests, approved (issued) or rejected with a reason after the
/// officer has checked the official's identity in person. The role is read from the store on every request, and every
/// decision needs a recent sign-in.
/// </summary>
[Authorize]
public sealed class SertifikatPetugasModel(UserManager<AsnUser> users, RegistrationAuthority registration, TimeProvider time) : PageModel
{
    [BindProperty]
    public Guid RequestId { get; set; }

    [BindProperty]
    [StringLength(1024)]
    public string? Reason { get; set; }

    public IReadOnlyList<RegistrationInfo> Pending { get; private set; } = [];

    public string? Message { get; private set; }

    public string? Error { get; private set; }

    public string? ErrorCode { get; private set; }

    public async Task<IActionResult> OnGetAsync() => await OfficerAsync() is null ? Forbid() : await ShowAsync();

    public async Task<IActionResult> OnPostApproveAsync()
    {
        if (await OfficerAsync() is not { } officer)
        {
            return Forbid();
        }

        if (!Sso.SessionSignIn.IsRecent(User, time))
        {
            return RedirectToPage("/Masuk", new { ReturnUrl = Url.Page("/SertifikatPetugas") });
        }

        // Note: the account is read again: a disabled, demoted or moved official gets no certificate from an old request.
        SubjectInfo? current = null;
        if (await registration.FindAsync(RequestId, HttpContext.RequestAborted) is { Profile: CertificateProfile.PejabatSigning } request)
        {
            if (await users.FindByNameAsync(request.SubjectId) is not { Disabled: false } account || !await users.IsInRoleAsync(account, SpbeRoles.Signer))
            {
                (Error, ErrorCode) = ("Akun pemohon tidak aktif atau tidak lagi berperan penanda tangan.", PkiErrors.SubjectInvalid);
                return await ShowAsync();
            }

            current = new SubjectInfo(account.DisplayName, account.Nip, account.OpdCode, account.Jabatan, account.Email);
        }

        var result = await registration.ApproveAsync(RequestId, officer.Nip, HttpContext.RequestAborted, current);
        (Message, Error, ErrorCode) = result.Success
            ? ((string?)("Sertifikat diterbitkan: " + result.Value!.Serial), (string?)null, (string?)null)
            : (null, "Permohonan tidak dapat disetujui.", result.ErrorCode);
        return await ShowAsync();
    }

    public async Task<IActionResult> OnPostRejectAsync()
    {
        if (await OfficerAsync() is not { } officer)
        {
            return Forbid();
        }

        if (!Sso.SessionSignIn.IsRecent(User, time))
        {
            return RedirectToPage("/Masuk", new { ReturnUrl = Url.Page("/SertifikatPetugas") });
        }

        if (string.IsNullOrWhiteSpace(Reason) || !ModelState.IsValid)
        {
            (Error, ErrorCode) = ("Tulis alasan penolakan.", null);
            return await ShowAsync();
        }

        var result = await registration.RejectAsync(RequestId, officer.Nip, Reason, HttpContext.RequestAborted);
        (Message, Error, ErrorCode) = result.Success
            ? ((string?)"Permohonan ditolak.", (string?)null, (string?)null)
            : (null, "Permohonan tidak dapat ditolak.", result.ErrorCode);
        return await ShowAsync();
    }

    private async Task<AsnUser?> OfficerAsync() =>
        await users.GetUserAsync(User) is { Disabled: false } user && await users.IsInRoleAsync(user, SpbeRoles.PkiOfficer) ? user : null;

    private async Task<IActionResult> ShowAsync()
    {
        Pending = await registration.ListAsync(RegistrationState.Pending, cancellationToken: HttpContext.RequestAborted);
        return Page();
    }
}
