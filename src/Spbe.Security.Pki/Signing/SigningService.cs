using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Spbe.Security.Pki.Authority;
using Spbe.Security.Pki.Keys;
using Spbe.Security.Pki.Persistence;
using Spbe.Security.Pki.Signing.Pdf;

namespace Spbe.Security.Pki.Signing;

/// <summary>How and where to sign.</summary>
/// <param name="Nip">The signing official.</param>
/// <param name="Passphrase">The official's passphrase: it alone opens their key.</param>
/// <param name="Level">The PAdES level (B-LT by default).</param>
/// <param name="Anchor">Put the visible stamp on this text (e.g. <c>#ttd#</c>).</param>
/// <param name="Placement">Or at this page and rectangle. Neither: an invisible signature (paraf).</param>
/// <param name="Reason">Why (shown by PDF readers).</param>
public sealed record SignRequest(string Nip, string Passphrase, PadesLevel Level = PadesLevel.BLT, string? Anchor = null, StampPlacement? Placement = null,
    string? Reason = null);

/// <summary>A detached CAdES signature.</summary>
/// <param name="Signature">The CMS SignedData (DER), to store as <c>FILE.p7s</c>.</param>
/// <param name="DocumentId">The id of the record.</param>
/// <param name="Serial">The signer certificate's serial.</param>
/// <param name="SignerName">The signer's name.</param>
/// <param name="Sha256">SHA-256 of the signed file (hex).</param>
public sealed record DetachedSignature(byte[] Signature, Guid DocumentId, string Serial, string SignerName, string? Sha256);

/// <summary>A signed document.</summary>
/// <param name="Pdf">The signed PDF (the original bytes, then the signature's updates).</param>
/// <param name="DocumentId">The id its QR code and verification page use.</param>
/// <param name="Serial">The signer certificate's serial.</param>
/// <param name="SignerName">The signer's name.</param>
/// <param name="Sha256">SHA-256 of the signed PDF (hex).</param>
public sealed record SignedDocument(byte[] Pdf, Guid DocumentId, string Serial, string SignerName, string Sha256);

/// <summary>
/// Signs a document for an official: finds their current signing certificate, opens their key with their passphrase
/// (wrong passphrases count towards the lock), places the stamp (anchor, page and rectangle, or none), and signs
/// PAdES at the requested level. The server never signs without the official's passphrase.
/// </summary>
public sealed partial class SigningService
{
    /// <summary>Default stamp size in points.</summary>
    public const double StampWidth = 220, StampHeight = 56;

    private readonly RegistrationAuthority _registration;
    private readonly SigningRecords _records;
    private readonly CaHierarchy _hierarchy;
    private readonly PadesSigner _signer;
    private readonly Timestamping.TimestampAuthority _timestamps;
    private readonly PkiOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<SigningService> _logger;

    internal SigningService(RegistrationAuthority registration, SigningRecords records, CaHierarchy hierarchy, PadesSigner signer,
        Timestamping.TimestampAuthority timestamps, IOptions<PkiOptions> options, TimeProvider time, ILogger<SigningService> logger)
    {
        _timestamps = timestamps;
        _registration = registration;
        _records = records;
        _hierarchy = hierarchy;
        _signer = signer;
        _options = options.Value;
        _time = time;
        _logger = logger;
    }

    /// <summary>Signs <paramref name="pdf"/> as <paramref name="request"/> says; the signature or the refusal is recorded
    /// (hashes and metadata, never the document).</summary>
    public async Task<PkiResult<SignedDocument>> SignPdfAsync(ReadOnlyMemory<byte> pdf, SignRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return await RecordedAsync(pdf, request, request.Level, request.Anchor is not null || request.Placement is not null,
            record => SignCoreAsync(pdf, request, record, cancellationToken), signed => (signed.DocumentId, signed.Sha256), cancellationToken);
    }

    /// <summary>
    /// Signs a file of any kind with a detached CAdES signature (the <c>.p7s</c> beside it): B-B, or B-T with a
    /// signature timestamp for any higher level (the validation data of B-LT belongs to PDF's /DSS).
    /// </summary>
    public async Task<PkiResult<DetachedSignature>> SignDetachedAsync(ReadOnlyMemory<byte> content, SignRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var level = request.Level == PadesLevel.BB ? PadesLevel.BB : PadesLevel.BT;
        return await RecordedAsync(content, request, level, false, async record => content.Length > DocumentVerifier.MaxDocumentSize
                ? PkiResult<DetachedSignature>.Fail(SigningErrors.DocumentTooLarge, $"the file is larger than {DocumentVerifier.MaxDocumentSize / (1024 * 1024)} MiB")
                : await SignDetachedCoreAsync(content, request, level, record, cancellationToken),
            signed => (signed.DocumentId, signed.Sha256), cancellationToken);
    }

    /// <summary>Runs one signing and records it, signed or refused (hashes and metadata, never the content).</summary>
    private async Task<PkiResult<T>> RecordedAsync<T>(ReadOnlyMemory<byte> content, SignRequest request, PadesLevel level, bool visible,
        Func<SigningRecord, Task<PkiResult<T>>> sign, Func<T, (Guid DocumentId, string? Sha256)> made, CancellationToken cancellationToken)
    {
        var record = new SigningRecord
        {
            Id = Guid.CreateVersion7(_time.GetUtcNow()),
            Nip = request.Nip.Length <= 18 ? request.Nip : request.Nip[..18],
            At = _time.GetUtcNow().ToUnixTimeMilliseconds(),
            InputSha256 = Convert.ToHexStringLower(SHA256.HashData(content.Span)),
            Visible = visible,
            Level = LevelName(level),
        };
        var result = await sign(record);
        record.Outcome = result.Success ? "signed" : result.ErrorCode!;
        if (result.Success)
        {
            (record.DocumentId, record.OutputSha256) = made(result.Value!);
        }

        await _records.WriteAsync(record, cancellationToken);
        return result;
    }

    private async Task<PkiResult<DetachedSignature>> SignDetachedCoreAsync(ReadOnlyMemory<byte> content, SignRequest request, PadesLevel level, SigningRecord record,
        CancellationToken cancellationToken)
    {
        var opened = await OpenKeyAsync(request, record, cancellationToken);
        if (!opened.Success)
        {
            return opened.As<DetachedSignature>();
        }

        var (signingKey, certificate) = opened.Value;
        using var key = signingKey;
        var snapshot = _hierarchy.Current;
        var signature = Internal.BouncyCastle.CmsSignatureBuilder.Build(CryptographicOperations.HashData(key.Algorithm.SignatureHash, content.Span), key,
            [certificate.Der, snapshot.Issuing.Der, snapshot.Root.Der], level == PadesLevel.BT ? _timestamps : null);
        return PkiResult<DetachedSignature>.Ok(new DetachedSignature(signature, Guid.NewGuid(), certificate.Serial, record.SignerName ?? request.Nip, record.InputSha256));
    }

    /// <summary>Finds the official's current signing certificate and opens its key with their passphrase, or says why not.</summary>
    private async Task<PkiResult<(ISigningKey Key, IssuedCertificate Certificate)>> OpenKeyAsync(SignRequest request, SigningRecord record, CancellationToken cancellationToken)
    {
        var certificate = await _registration.FindSigningCertificateAsync(request.Nip, cancellationToken);
        if (certificate is null)
        {
            return PkiResult<(ISigningKey, IssuedCertificate)>.Fail(SigningErrors.NoSigningCertificate, "no valid signing certificate with a key held for this official");
        }

        record.Serial = certificate.Serial;
        using (var identity = X509CertificateLoader.LoadCertificate(certificate.Der))
        {
            var who = SignerIdentity.Of(identity);
            (record.SignerName, record.Jabatan, record.Opd) = (who.Name, who.Jabatan, who.Opd);
        }

        var opened = await _registration.UnlockSignerKeyAsync(certificate.Serial, request.Passphrase, cancellationToken);
        if (!opened.Success)
        {
            LogRefused(_logger, certificate.Serial, opened.ErrorCode!);
            return opened.As<(ISigningKey, IssuedCertificate)>();
        }

        return PkiResult<(ISigningKey, IssuedCertificate)>.Ok((opened.Value!, certificate));
    }

    /// <summary>
    /// Opens a PDF that is to be signed, or says why it cannot be: too large, unreadable, encrypted. Checked before any
    /// key is opened, so a bad file never costs a passphrase try.
    /// </summary>
    internal static PkiResult<PdfFile> OpenDocument(ReadOnlyMemory<byte> pdf)
    {
        if (pdf.Length > DocumentVerifier.MaxDocumentSize)
        {
            return PkiResult<PdfFile>.Fail(SigningErrors.DocumentTooLarge, $"the document is larger than {DocumentVerifier.MaxDocumentSize / (1024 * 1024)} MiB");
        }

        try
        {
            var file = PdfFile.Open(pdf);
            if (file.IsEncrypted)
            {
                return PkiResult<PdfFile>.Fail(SigningErrors.DocumentEncrypted, "the document is encrypted; save it without a password and sign again");
            }

            _ = file.Page(0);
            return PkiResult<PdfFile>.Ok(file);
        }
        catch (PdfFormatException ex)
        {
            return PkiResult<PdfFile>.Fail(SigningErrors.DocumentUnreadable, "the document cannot be read as a PDF: " + ex.Message);
        }
    }

    /// <summary>The PAdES level's name (B-B, B-T, B-LT, B-LTA).</summary>
    public static string LevelName(PadesLevel level) => level switch
    {
        PadesLevel.BB => "B-B",
        PadesLevel.BT => "B-T",
        PadesLevel.BLT => "B-LT",
        _ => "B-LTA",
    };

    private async Task<PkiResult<SignedDocument>> SignCoreAsync(ReadOnlyMemory<byte> pdf, SignRequest request, SigningRecord record, CancellationToken cancellationToken)
    {
        var opened = OpenDocument(pdf);
        if (!opened.Success)
        {
            return opened.As<SignedDocument>();
        }

        var file = opened.Value!;
        var placement = request.Placement is { Page: StampPlacement.LastPage } last ? last with { Page = file.PageCount } : request.Placement;
        if (request.Anchor is { Length: > 0 } anchor)
        {
            try
            {
                placement = TextAnchor.Find(pdf, anchor, StampWidth, StampHeight);
            }
            catch (PdfFormatException ex)
            {
                return PkiResult<SignedDocument>.Fail(SigningErrors.AnchorNotFound, ex.Message);
            }

            if (placement is null)
            {
                return PkiResult<SignedDocument>.Fail(SigningErrors.AnchorNotFound, $"the text '{anchor}' is not in the document; give a page and rectangle instead");
            }
        }

        if (placement is not null && (placement.Page < 1 || placement.Page > file.PageCount || placement.Width < 20 || placement.Height < 20
            || !double.IsFinite(placement.X) || !double.IsFinite(placement.Y) || placement.Width > 2000 || placement.Height > 2000))
        {
            return PkiResult<SignedDocument>.Fail(SigningErrors.PlacementInvalid, $"the stamp must be on page 1..{file.PageCount} and at least 20×20 points");
        }

        var unlocked = await OpenKeyAsync(request, record, cancellationToken);
        if (!unlocked.Success)
        {
            return unlocked.As<SignedDocument>();
        }

        var (signingKey, certificate) = unlocked.Value;
        using var key = signingKey;
        using var parsed = X509CertificateLoader.LoadCertificate(certificate.Der);
        var subject = SignerIdentity.Of(parsed);
        var documentId = Guid.NewGuid();
        var now = _time.GetUtcNow();
        var wib = now.ToOffset(TimeSpan.FromHours(7));
        var stamp = placement is null ? null : new StampContent(
            [subject.Name ?? string.Empty, subject.Jabatan ?? string.Empty, subject.Opd ?? string.Empty, wib.ToString("dd-MM-yyyy HH:mm 'WIB'", CultureInfo.InvariantCulture)],
            new Uri(_options.PublicBaseUrl, $"verifikasi/{documentId:N}"));
        var snapshot = _hierarchy.Current;
        var signed = await _signer.SignAsync(file, new PadesRequest(key, [certificate.Der, snapshot.Issuing.Der, snapshot.Root.Der], request.Level, now,
            subject.Name ?? request.Nip, request.Reason ?? (placement is null ? "Paraf" : "Penandatanganan naskah dinas"), placement, stamp), cancellationToken);
        var hash = Convert.ToHexStringLower(SHA256.HashData(signed));
        LogSigned(_logger, documentId, certificate.Serial, request.Level.ToString(), hash);
        return PkiResult<SignedDocument>.Ok(new SignedDocument(signed, documentId, certificate.Serial, subject.Name ?? request.Nip, hash));
    }

    [LoggerMessage(EventId = 4501, Level = LogLevel.Information, Message = "Document {DocumentId} signed with certificate {Serial} at {Level}, SHA-256 {Sha256}")]
    private static partial void LogSigned(ILogger logger, Guid documentId, string serial, string level, string sha256);

    [LoggerMessage(EventId = 4502, Level = LogLevel.Warning, Message = "Signing with certificate {Serial} refused: {Code}")]
    private static partial void LogRefused(ILogger logger, string serial, string code);
}
