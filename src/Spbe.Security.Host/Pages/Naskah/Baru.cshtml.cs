using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Spbe.Security.Identity.Accounts;
using Spbe.Security.Identity.Events;
using Spbe.Security.Pki.Signing;
using Spbe.Security.Pki.Signing.Naskah;

namespace Spbe.Security.Host.Pages.Naskah;

/// <summary>A drafter uploads a naskah dinas and names the reviewers (in order) and the pejabat who signs.</summary>
[Authorize]
[RequestSizeLimit(DocumentVerifier.MaxDocumentSize + (64 * 1024))]
[RequestFormLimits(MultipartBodyLengthLimit = DocumentVerifier.MaxDocumentSize + (64 * 1024))]
public sealed class BaruModel(UserManager<AsnUser> users, NaskahWorkflow workflow, ISecurityEventSink events, TimeProvider time) : PageModel
{
    [BindProperty]
    public DraftInput Input { get; set; } = new();

    public string? Error { get; private set; }

    public string? ErrorCode { get; private set; }

    public async Task<IActionResult> OnGetAsync() =>
        await users.GetUserAsync(User) is { Disabled: false } ? Page() : Challenge();

    public async Task<IActionResult> OnPostAsync()
    {
        if (await users.GetUserAsync(User) is not { Disabled: false } user)
        {
            return Challenge();
        }

        if (!ModelState.IsValid || Input.Dokumen is not { Length: > 0 } file)
        {
            Error = "Isi perihal, pilih berkas PDF, dan sebutkan pejabat penanda tangan.";
            return Page();
        }

        if (file.Length > DocumentVerifier.MaxDocumentSize)
        {
            (Error, ErrorCode) = ("Berkas terlalu besar.", SigningErrors.DocumentTooLarge);
            return Page();
        }

        using var buffer = new MemoryStream();
        await file.CopyToAsync(buffer, HttpContext.RequestAborted);
        var reviewers = (Input.Pemeriksa ?? string.Empty).Split(['\n', '\r', ',', ';', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var created = await workflow.CreateAsync(new NaskahDraft(Input.Perihal ?? string.Empty, user.Nip, user.OpdCode, buffer.ToArray(), reviewers,
            (Input.Penandatangan ?? string.Empty).Trim(), string.IsNullOrWhiteSpace(Input.Jangkar) ? null : Input.Jangkar.Trim()), HttpContext.RequestAborted);
        await events.WriteAsync(new SecurityEvent(time.GetUtcNow(), SecurityEventActions.TteNaskah, created.Success ? "success" : "failure", UserName: user.Nip,
            SourceIp: HttpContext.Connection.RemoteIpAddress?.ToString(), Opd: user.OpdCode,
            Reason: created.Success ? $"created naskah={created.Value!.Id:N} steps={created.Value.Steps.Count}" : created.ErrorCode), HttpContext.RequestAborted);
        if (!created.Success)
        {
            (Error, ErrorCode) = ("Naskah tidak dapat diproses: ", created.ErrorCode);
            ModelState.Clear();
            Detail = created.Error;
            return Page();
        }

        return Redirect($"/naskah/{created.Value!.Id:N}");
    }

    /// <summary>The refusal's reason (English, from the service), shown beside its code.</summary>
    public string? Detail { get; private set; }

    /// <summary>The upload form.</summary>
    public sealed class DraftInput
    {
        [Required]
        [StringLength(256)]
        public string? Perihal { get; set; }

        public IFormFile? Dokumen { get; set; }

        [StringLength(4096)]
        public string? Pemeriksa { get; set; }

        [Required]
        [StringLength(18)]
        public string? Penandatangan { get; set; }

        [StringLength(64)]
        public string? Jangkar { get; set; } = "#ttd#";
    }
}
