using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Spbe.Security.Identity.Accounts;
using Spbe.Security.Identity.Events;
using Spbe.Security.Pki;
using Spbe.Security.Pki.Signing;
using Spbe.Security.Pki.Signing.Naskah;

namespace Spbe.Security.Host.Pages.Naskah;

/// <summary>
/// One naskah for those who take part in it: its steps, the current version to download, and, when it is their turn,
/// the paraf or signature (passphrase, after a fresh multi-factor sign-in) or sending it back. Anyone else gets 404,
/// whether or not the naskah exists.
/// </summary>
[Authorize]
public sealed class DetailModel(UserManager<AsnUser> users, NaskahWorkflow workflow, ISecurityEventSink events, TimeProvider time) : PageModel
{
    [FromRoute(Name = "id")]
    public Guid Id { get; set; }

    [BindProperty]
    [StringLength(256)]
    [DataType(DataType.Password)]
    public string? FrasaSandi { get; set; }

    [BindProperty]
    [StringLength(1024)]
    public string? Alasan { get; set; }

    public NaskahInfo Naskah { get; private set; } = null!;

    public string Nip { get; private set; } = string.Empty;

    /// <summary>Whether it is this official's turn.</summary>
    public bool MyTurn => Naskah.Current?.Nip == Nip;

    /// <summary>Whether this session may sign now (fresh multi-factor sign-in).</summary>
    public bool FreshSession { get; private set; }

    public string? Error { get; private set; }

    public string? ErrorCode { get; private set; }

    public string? Done { get; private set; }

    /// <summary>The state in words (Indonesian; the page translates).</summary>
    public static string StateText(NaskahState state) => state switch
    {
        NaskahState.InReview => "Menunggu paraf",
        NaskahState.AwaitingSignature => "Menunggu tanda tangan pejabat",
        NaskahState.Sealed => "Selesai ditandatangani",
        _ => "Dikembalikan ke konseptor",
    };

    public async Task<IActionResult> OnGetAsync() => await LoadAsync() ? Page() : NotFound();

    public async Task<IActionResult> OnGetUnduhAsync()
    {
        if (!await LoadAsync())
        {
            return NotFound();
        }

        var content = await workflow.ContentAsync(Id, Nip, HttpContext.RequestAborted);
        if (!content.Success)
        {
            (Error, ErrorCode) = ("Berkas naskah tidak lagi disimpan; hanya sidik (hash) dan catatan tanda tangannya yang tersisa.", content.ErrorCode);
            return Page();
        }

        return File(content.Value!, "application/pdf", $"naskah-{Id:N}.pdf");
    }

    public async Task<IActionResult> OnPostTandatanganAsync()
    {
        if (!await LoadAsync())
        {
            return NotFound();
        }

        if (!MyTurn)
        {
            (Error, ErrorCode) = ("Naskah ini tidak sedang menunggu tindakan Anda.", SigningErrors.NotYourTurn);
            return Page();
        }

        // Note: the passphrase alone is not enough: the session must have proven a second factor a moment ago, so a
        // session left open (or a password that leaked with the passphrase) cannot sign.
        if (!FreshSession)
        {
            (Error, ErrorCode) = ("Untuk menandatangani, masuk ulang dengan faktor kedua (aplikasi autentikator atau passkey).", SigningErrors.SessionNotFresh);
            await RecordAsync(SecurityEventActions.TteSign, false, ErrorCode);
            return Page();
        }

        if (string.IsNullOrEmpty(FrasaSandi))
        {
            (Error, ErrorCode) = ("Isi frasa sandi kunci tanda tangan Anda.", null);
            return Page();
        }

        var final = Naskah.Current!.Kind == NaskahStepKind.Signature;
        var signed = await workflow.SignAsync(Id, Nip, FrasaSandi, HttpContext.RequestAborted);
        FrasaSandi = null;
        ModelState.Clear();
        await RecordAsync(SecurityEventActions.TteSign, signed.Success,
            signed.Success ? $"naskah={Id:N} step={(final ? "signature" : "paraf")} document={signed.Value!.Steps.Last(s => s.State == NaskahStepState.Done).SignatureId:N}" : signed.ErrorCode);
        if (!signed.Success)
        {
            (Error, ErrorCode) = (signed.ErrorCode == PkiErrors.WrongPassphrase ? "Frasa sandi salah." : "Penandatanganan ditolak.", signed.ErrorCode);
            return Page();
        }

        Naskah = signed.Value!;
        Done = final ? "Naskah telah ditandatangani dan disegel." : "Paraf Anda telah dibubuhkan.";
        return Page();
    }

    public async Task<IActionResult> OnPostKembalikanAsync()
    {
        if (!await LoadAsync())
        {
            return NotFound();
        }

        var returned = await workflow.ReturnAsync(Id, Nip, Alasan ?? string.Empty, HttpContext.RequestAborted);
        await RecordAsync(SecurityEventActions.TteNaskah, returned.Success, returned.Success ? $"returned naskah={Id:N}" : returned.ErrorCode);
        if (!returned.Success)
        {
            (Error, ErrorCode) = ("Naskah tidak dapat dikembalikan: tulis alasannya, dan hanya pada giliran Anda.", returned.ErrorCode);
            return Page();
        }

        Naskah = returned.Value!;
        Done = "Naskah dikembalikan ke konseptor.";
        return Page();
    }

    private async Task<bool> LoadAsync()
    {
        if (await users.GetUserAsync(User) is not { Disabled: false } user
            || await workflow.FindAsync(Id, user.Nip, HttpContext.RequestAborted) is not { } naskah)
        {
            return false;
        }

        (Nip, Naskah) = (user.Nip, naskah);
        FreshSession = NaskahSession.MaySign(User, time);
        return true;
    }

    private ValueTask RecordAsync(string action, bool success, string? reason) =>
        events.WriteAsync(new SecurityEvent(time.GetUtcNow(), action, success ? "success" : "failure", UserName: Nip,
            SourceIp: HttpContext.Connection.RemoteIpAddress?.ToString(), Opd: Naskah.Opd, Reason: reason), HttpContext.RequestAborted);
}
