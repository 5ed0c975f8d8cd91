using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Spbe.Security.Pki.Persistence;

namespace Spbe.Security.Pki.Signing;

/// <summary>A signed document's record, as the QR code's page shows it.</summary>
/// <param name="DocumentId">The id in the QR code.</param>
/// <param name="SignerName">Who signed.</param>
/// <param name="Nip">Their NIP.</param>
/// <param name="Jabatan">Their jabatan.</param>
/// <param name="Opd">Their OPD.</param>
/// <param name="Serial">The certificate.</param>
/// <param name="SignedAt">When.</param>
/// <param name="Level">The PAdES level.</param>
/// <param name="Sha256">SHA-256 of the signed document: a copy with another hash is not the document signed.</param>
public sealed record SignedDocumentRecord(Guid DocumentId, string? SignerName, string Nip, string? Jabatan, string? Opd, string? Serial, DateTimeOffset SignedAt,
    string? Level, string? Sha256);

/// <summary>Signatures and refusals of one official in one month.</summary>
public sealed record UsageRow(string Month, string Opd, string Nip, string? SignerName, int Signed, int Refused);

/// <summary>A certificate that runs out soon.</summary>
public sealed record ExpiringCertificate(string Serial, string? Nip, string? Opd, string Subject, DateTimeOffset NotAfter);

/// <summary>DISKOMINFO's monitoring of electronic signatures per OPD: use per month and official, refusals (wrong
/// passphrases, locked keys), and signing certificates near expiry.</summary>
public sealed record UsageReport(DateTimeOffset From, DateTimeOffset To, IReadOnlyList<UsageRow> Rows, IReadOnlyList<ExpiringCertificate> Expiring);

/// <summary>The record of signing: what was signed by whom and when (hashes, never contents), and every refusal.</summary>
public sealed class SigningRecords
{
    /// <summary>Certificates running out within this are listed as near expiry.</summary>
    public static readonly TimeSpan ExpiryWarning = TimeSpan.FromDays(30);

    private readonly IDbContextFactory<PkiStoreContext> _contexts;
    private readonly TimeProvider _time;

    internal SigningRecords(IDbContextFactory<PkiStoreContext> contexts, TimeProvider time)
    {
        _contexts = contexts;
        _time = time;
    }

    internal async Task WriteAsync(SigningRecord record, CancellationToken cancellationToken)
    {
        await using var context = await _contexts.CreateDbContextAsync(cancellationToken);
        context.Signings.Add(record);
        await context.SaveChangesAsync(cancellationToken);
    }

    /// <summary>The record of the document with this id, or null.</summary>
    public async Task<SignedDocumentRecord?> FindDocumentAsync(Guid documentId, CancellationToken cancellationToken = default)
    {
        await using var context = await _contexts.CreateDbContextAsync(cancellationToken);
        var r = await context.Signings.AsNoTracking().Where(s => s.DocumentId == documentId && s.Outcome == "signed").FirstOrDefaultAsync(cancellationToken);
        return r is null ? null : new SignedDocumentRecord(documentId, r.SignerName, r.Nip, r.Jabatan, r.Opd, r.Serial, DateTimeOffset.FromUnixTimeMilliseconds(r.At), r.Level, r.OutputSha256);
    }

    /// <summary>Use per month, OPD and official between <paramref name="from"/> and <paramref name="to"/> (one OPD, or
    /// all when <paramref name="opd"/> is null), and the signing certificates that run out soon.</summary>
    public async Task<UsageReport> UsageAsync(string? opd, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        await using var context = await _contexts.CreateDbContextAsync(cancellationToken);
        var start = from.ToUnixTimeMilliseconds();
        var end = to.ToUnixTimeMilliseconds();
        var records = await context.Signings.AsNoTracking()
            .Where(s => s.At >= start && s.At < end && (opd == null || s.Opd == opd))
            .Select(s => new { s.At, s.Opd, s.Nip, s.SignerName, s.Outcome })
            .ToListAsync(cancellationToken);
        // Note: grouped here rather than in SQL: months in UTC+7 (WIB) the same way on SQLite and PostgreSQL.
        var rows = records
            .GroupBy(s => (Month: DateTimeOffset.FromUnixTimeMilliseconds(s.At).ToOffset(TimeSpan.FromHours(7)).ToString("yyyy-MM", CultureInfo.InvariantCulture), Opd: s.Opd ?? "-", s.Nip))
            .Select(g => new UsageRow(g.Key.Month, g.Key.Opd, g.Key.Nip, g.Select(s => s.SignerName).FirstOrDefault(n => n is not null),
                g.Count(s => s.Outcome == "signed"), g.Count(s => s.Outcome != "signed")))
            .OrderBy(r => r.Month, StringComparer.Ordinal).ThenBy(r => r.Opd, StringComparer.Ordinal).ThenBy(r => r.Nip, StringComparer.Ordinal)
            .ToList();

        var now = _time.GetUtcNow();
        var soon = (now + ExpiryWarning).ToUnixTimeMilliseconds();
        var nowMs = now.ToUnixTimeMilliseconds();
        var expiring = await context.Certificates.AsNoTracking()
            .Where(c => c.Profile == "pejabat-signing" && c.State == CertificateState.Good && c.NotAfter > nowMs && c.NotAfter <= soon && (opd == null || c.Opd == opd))
            .OrderBy(c => c.NotAfter)
            .Select(c => new { c.Serial, c.Nip, c.Opd, c.Subject, c.NotAfter })
            .ToListAsync(cancellationToken);
        return new UsageReport(from, to, rows, expiring.Select(c => new ExpiringCertificate(c.Serial, c.Nip, c.Opd, c.Subject, DateTimeOffset.FromUnixTimeMilliseconds(c.NotAfter))).ToList());
    }
}
