using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Spbe.Security.Host.Endpoints;
using Spbe.Security.Identity.Events;
using Spbe.Security.Pki.Signing;

namespace Spbe.Security.Host.Pages;

/// <summary>
/// The public verification page (<c>/verifikasi</c>, and <c>/verifikasi/{id}</c> where a stamp's QR code leads):
/// anyone uploads a signed PDF and reads, per signature, who signed, whether the document is intact and unchanged,
/// whether the certificate was valid and not revoked, and the overall verdict.
/// </summary>
[AllowAnonymous]
[RequestSizeLimit(DocumentVerifier.MaxDocumentSize + (64 * 1024))]
[RequestFormLimits(MultipartBodyLengthLimit = DocumentVerifier.MaxDocumentSize + (64 * 1024))]
public sealed class VerifikasiModel(DocumentVerifier verifier, SigningRecords records, ISecurityEventSink events, TimeProvider time) : PageModel
{
    /// <summary>The document id from the QR code, if the visitor came that way.</summary>
    [FromRoute(Name = "id")]
    public string? DocumentId { get; set; }

    [BindProperty]
    public IFormFile? Dokumen { get; set; }

    public VerificationReport? Report { get; private set; }

    public string? Error { get; private set; }

    /// <summary>The record of the document the QR code names, when it is ours.</summary>
    public SignedDocumentRecord? Record { get; private set; }

    /// <summary>Whether the id in the address was looked up (and found or not).</summary>
    public bool LookedUp { get; private set; }

    public async Task OnGetAsync() => await LookUpAsync();

    public async Task<IActionResult> OnPostAsync()
    {
        await LookUpAsync();
        if (Dokumen is null || Dokumen.Length == 0)
        {
            Error = "Pilih berkas PDF yang akan diperiksa.";
            return Page();
        }

        if (Dokumen.Length > DocumentVerifier.MaxDocumentSize)
        {
            Error = "Berkas terlalu besar.";
            return Page();
        }

        using var buffer = new MemoryStream();
        await Dokumen.CopyToAsync(buffer, HttpContext.RequestAborted);
        Report = await SigningEndpoints.VerifyLimitedAsync(verifier, buffer.ToArray(), HttpContext.RequestAborted);
        if (Report is null)
        {
            Error = "Layanan sedang sibuk. Coba lagi sebentar lagi.";
            return Page();
        }

        await SigningEndpoints.RecordAsync(events, time, HttpContext, Report);
        return Page();
    }

    private async Task LookUpAsync()
    {
        if (DocumentId is not null && Guid.TryParseExact(DocumentId, "N", out var id))
        {
            LookedUp = true;
            Record = await records.FindDocumentAsync(id, HttpContext.RequestAborted);
        }
        else if (DocumentId is not null)
        {
            LookedUp = true;
        }
    }

    /// <summary>The verdict in words.</summary>
    public static string Verdict(string indication) => indication switch
    {
        Indications.Passed => "Sah",
        Indications.Failed => "Tidak sah",
        _ => "Tidak dapat dipastikan",
    };

    /// <summary>A sub-indication in words.</summary>
    public static string Reason(string? subIndication) => subIndication switch
    {
        null => string.Empty,
        SubIndications.HashFailure => "Isi dokumen telah diubah setelah ditandatangani.",
        SubIndications.SigCryptoFailure => "Nilai tanda tangan tidak cocok dengan kunci penanda tangan.",
        SubIndications.Revoked => "Sertifikat penanda tangan sudah dicabut sebelum penandatanganan.",
        SubIndications.RevokedNoPoe => "Sertifikat penanda tangan dicabut dan tidak ada bukti waktu penandatanganan sebelumnya.",
        SubIndications.NoCertificateChainFound => "Sertifikat tidak diterbitkan oleh penyelenggara sertifikasi yang dipercaya.",
        SubIndications.OutOfBoundsNoPoe => "Sertifikat tidak berlaku pada waktu pemeriksaan dan tidak ada cap waktu yang membuktikan waktu penandatanganan.",
        SubIndications.TryLater => "Status pencabutan sertifikat belum dapat diperoleh.",
        SubIndications.SigConstraintsFailure => "Isi dokumen diubah dalam pembaruan setelah ditandatangani.",
        SubIndications.NoSignature => "Dokumen tidak memuat tanda tangan elektronik.",
        SubIndications.FormatFailure => "Berkas atau tanda tangannya tidak dapat dibaca.",
        _ => subIndication,
    };
}
