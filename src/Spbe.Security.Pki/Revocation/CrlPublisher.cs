using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.X509;
using Spbe.Security.Pki.Authority;
using Spbe.Security.Pki.Internal.BouncyCastle;
using Spbe.Security.Pki.Ledger;
using Spbe.Security.Pki.Persistence;

namespace Spbe.Security.Pki.Revocation;

/// <summary>What one publication wrote.</summary>
/// <param name="Ca">The CA whose CRLs these are.</param>
/// <param name="FullNumber">The full CRL's number.</param>
/// <param name="DeltaNumber">The delta CRL's number (0 for the root, which has none).</param>
/// <param name="BaseNumber">The full CRL the delta is relative to.</param>
/// <param name="Entries">Entries on the full CRL.</param>
/// <param name="NextUpdate">When the full CRL expires.</param>
public sealed record CrlPublication(string Ca, long FullNumber, long DeltaNumber, long BaseNumber, int Entries, DateTimeOffset NextUpdate);

/// <summary>
/// Issues the CRLs into <c>data/pki/crl/</c>: for the issuing CA a full CRL and a delta CRL (RFC 5280 5.2.4) on every
/// revocation and on schedule, and the root's CRL when the root key is online. The host serves the files as they are,
/// so a change made by the CLI reaches relying parties (and the OCSP cache, which watches the full CRL) at once.
/// </summary>
/// <remarks>
/// Numbering: full and delta CRLs share one increasing sequence. A scheduled publication starts a new base (its full
/// CRL); publications on revocation issue a new full CRL and a delta relative to the current base, listing every
/// change since the base. So a revocation is on the very next full and the very next delta CRL.
/// </remarks>
internal sealed class CrlPublisher(CaHierarchy hierarchy, IDbContextFactory<PkiStoreContext> contexts, IOptions<PkiOptions> options, TimeProvider time, PkiWriteGate gate)
{
    /// <summary>The root's CRL is valid this long (the root key may be offline in between).</summary>
    public static readonly TimeSpan RootCrlValidity = TimeSpan.FromDays(365);

    /// <summary>Raised after new CRLs are on disk (in this process; other processes see the files change).</summary>
    public event EventHandler? Published;

    public string FullFile(string ca) => Path.Combine(hierarchy.CrlFolder, ca + ".crl");

    public string DeltaFile(string ca) => Path.Combine(hierarchy.CrlFolder, ca + "-delta.crl");

    /// <summary>Issues the issuing CA's full and delta CRLs; <paramref name="newBase"/> starts a new delta base.</summary>
    public async Task<CrlPublication> PublishIssuingAsync(bool newBase, string actor, CancellationToken cancellationToken = default)
    {
        var snapshot = hierarchy.Current;
        var key = hierarchy.Key(CaHierarchy.Issuing);
        using var _ = await gate.EnterAsync(cancellationToken);
        await using var context = await contexts.CreateDbContextAsync(cancellationToken);
        await using var transaction = await context.Database.BeginTransactionAsync(cancellationToken);
        var now = Truncate(time.GetUtcNow());
        var state = await context.CaStates.SingleOrDefaultAsync(s => s.Name == CaHierarchy.Issuing, cancellationToken);
        if (state is null)
        {
            state = new CaStateRecord { Name = CaHierarchy.Issuing };
            context.CaStates.Add(state);
        }

        var nowMs = now.ToUnixTimeMilliseconds();
        var revoked = await context.Certificates.AsNoTracking()
            .Where(c => c.Ca == CaHierarchy.Issuing && c.State != CertificateState.Good && c.NotAfter > nowMs)
            .Select(c => new { c.Serial, c.RevokedAt, c.Reason, c.StatusChangedAt })
            .ToListAsync(cancellationToken);

        var fullNumber = state.CrlNumber + 1;
        if (newBase || state.BaseCrlNumber == 0)
        {
            state.BaseCrlNumber = fullNumber;
            state.BaseCrlAt = nowMs;
        }

        var baseAt = state.BaseCrlAt;
        var deltaNumber = fullNumber + 1;
        state.CrlNumber = deltaNumber;
        state.Version++;

        // Note: by the time of the change, not of the revocation: a hold that became a revocation keeps its revocation
        // time but must reach the delta with its final reason.
        var changed = revoked.Where(r => (r.StatusChangedAt ?? r.RevokedAt) > baseAt).ToList();
        var released = await context.Certificates.AsNoTracking()
            .Where(c => c.Ca == CaHierarchy.Issuing && c.State == CertificateState.Good && c.ReleasedAt > baseAt)
            .Select(c => c.Serial)
            .ToListAsync(cancellationToken);

        var nextUpdate = now + options.Value.CrlValidity;
        var deltaNextUpdate = now + options.Value.DeltaCrlValidity;
        var issuer = snapshot.Issuing.Certificate;
        var full = Build(issuer, key, now, nextUpdate, fullNumber, deltaBase: null, freshest: true,
            revoked.Select(r => (r.Serial, r.RevokedAt ?? 0, r.Reason ?? 0)), []);
        var delta = Build(issuer, key, now, deltaNextUpdate, deltaNumber, deltaBase: state.BaseCrlNumber, freshest: false,
            changed.Select(r => (r.Serial, r.RevokedAt ?? 0, r.Reason ?? 0)), released);

        await LedgerChain.AppendAsync(context, now, "crl-published", actor, CaHierarchy.Issuing, new Dictionary<string, string?>
        {
            ["full"] = fullNumber.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["delta"] = deltaNumber.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["base"] = state.BaseCrlNumber.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["entries"] = revoked.Count.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }, cancellationToken);
        await context.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);

        // Note: the delta first, then the full CRL: the OCSP cache watches the full CRL's file and must see a
        // complete publication when it reacts.
        Directory.CreateDirectory(hierarchy.CrlFolder);
        CaHierarchyFiles.WriteAtomically(DeltaFile(CaHierarchy.Issuing), delta);
        CaHierarchyFiles.WriteAtomically(FullFile(CaHierarchy.Issuing), full);
        Published?.Invoke(this, EventArgs.Empty);
        return new CrlPublication(CaHierarchy.Issuing, fullNumber, deltaNumber, state.BaseCrlNumber, revoked.Count, nextUpdate);
    }

    /// <summary>Issues the root's CRL (which lists a revoked issuing CA, if ever). Needs the root key.</summary>
    public async Task<CrlPublication> PublishRootAsync(string actor, CancellationToken cancellationToken = default)
    {
        var snapshot = hierarchy.Current;
        // Note: the root key is opened for this one CRL and closed again, never kept in memory (it may go offline).
        using var key = hierarchy.KeyStore.Open(CaHierarchy.Root);
        using var _ = await gate.EnterAsync(cancellationToken);
        await using var context = await contexts.CreateDbContextAsync(cancellationToken);
        await using var transaction = await context.Database.BeginTransactionAsync(cancellationToken);
        var now = Truncate(time.GetUtcNow());
        var state = await context.CaStates.SingleOrDefaultAsync(s => s.Name == CaHierarchy.Root, cancellationToken);
        if (state is null)
        {
            state = new CaStateRecord { Name = CaHierarchy.Root };
            context.CaStates.Add(state);
        }

        state.CrlNumber++;
        state.BaseCrlNumber = state.CrlNumber;
        state.BaseCrlAt = now.ToUnixTimeMilliseconds();
        state.Version++;
        var revoked = await context.Certificates.AsNoTracking()
            .Where(c => c.Ca == CaHierarchy.Root && c.State != CertificateState.Good)
            .Select(c => new { c.Serial, c.RevokedAt, c.Reason })
            .ToListAsync(cancellationToken);
        var nextUpdate = now + RootCrlValidity;
        var crl = Build(snapshot.Root.Certificate, key, now, nextUpdate, state.CrlNumber, deltaBase: null, freshest: false,
            revoked.Select(r => (r.Serial, r.RevokedAt ?? 0, r.Reason ?? 0)), []);
        await LedgerChain.AppendAsync(context, now, "crl-published", actor, CaHierarchy.Root, new Dictionary<string, string?>
        {
            ["full"] = state.CrlNumber.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["entries"] = revoked.Count.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }, cancellationToken);
        await context.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        Directory.CreateDirectory(hierarchy.CrlFolder);
        CaHierarchyFiles.WriteAtomically(FullFile(CaHierarchy.Root), crl);
        return new CrlPublication(CaHierarchy.Root, state.CrlNumber, 0, state.CrlNumber, revoked.Count, nextUpdate);
    }

    /// <summary>When the issuing CA's current base CRL was issued, or null if none has been.</summary>
    public async Task<(DateTimeOffset? BaseAt, DateTimeOffset? RootAt)> LastPublishedAsync(CancellationToken cancellationToken = default)
    {
        await using var context = await contexts.CreateDbContextAsync(cancellationToken);
        var states = await context.CaStates.AsNoTracking().ToListAsync(cancellationToken);
        DateTimeOffset? At(string name) => states.FirstOrDefault(s => s.Name == name) is { BaseCrlAt: > 0 } s ? DateTimeOffset.FromUnixTimeMilliseconds(s.BaseCrlAt) : null;
        return (At(CaHierarchy.Issuing), At(CaHierarchy.Root));
    }

    private byte[] Build(Org.BouncyCastle.X509.X509Certificate issuer, Keys.ISigningKey key, DateTimeOffset thisUpdate, DateTimeOffset nextUpdate,
        long number, long? deltaBase, bool freshest, IEnumerable<(string Serial, long RevokedAt, int Reason)> entries, IEnumerable<string> removed)
    {
        var generator = new X509V2CrlGenerator();
        generator.SetIssuerDN(issuer.SubjectDN);
        generator.SetThisUpdate(thisUpdate.UtcDateTime);
        generator.SetNextUpdate(nextUpdate.UtcDateTime);
        foreach (var (serial, revokedAt, reason) in entries)
        {
            generator.AddCrlEntry(new BigInteger(serial, 16), DateTimeOffset.FromUnixTimeMilliseconds(revokedAt).UtcDateTime, reason);
        }

        foreach (var serial in removed)
        {
            // Note: removeFromCRL (8) tells delta users that a certificate on hold is good again (RFC 5280 5.3.1).
            generator.AddCrlEntry(new BigInteger(serial, 16), thisUpdate.UtcDateTime, CrlReason.RemoveFromCrl);
        }

        generator.AddExtension(X509Extensions.AuthorityKeyIdentifier, false, BcCertificateBuilder.AuthorityKeyId(issuer));
        generator.AddExtension(X509Extensions.CrlNumber, false, new CrlNumber(BigInteger.ValueOf(number)));
        if (deltaBase is { } baseNumber)
        {
            generator.AddExtension(X509Extensions.DeltaCrlIndicator, true, new CrlNumber(BigInteger.ValueOf(baseNumber)));
        }

        if (freshest)
        {
            var delta = new Uri(options.Value.PublicBaseUrl, "pki/crl/issuing-delta.crl").AbsoluteUri;
            generator.AddExtension(X509Extensions.FreshestCrl, false, new CrlDistPoint([
                new DistributionPoint(new DistributionPointName(new GeneralNames(new GeneralName(GeneralName.UniformResourceIdentifier, delta))), null, null)]));
        }

        return generator.Generate(new KeySignatureFactory(key)).GetEncoded();
    }

    /// <summary>X.509 times have whole seconds.</summary>
    public static DateTimeOffset Truncate(DateTimeOffset value) => DateTimeOffset.FromUnixTimeSeconds(value.ToUnixTimeSeconds());
}
