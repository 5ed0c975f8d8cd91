using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Math;
using Spbe.Security.Data;
using Spbe.Security.Pki.Internal.BouncyCastle;
using Spbe.Security.Pki.Keys;
using Spbe.Security.Pki.Ledger;
using Spbe.Security.Pki.Persistence;
using Spbe.Security.Pki.Profiles;
using Spbe.Security.Pki.Revocation;

namespace Spbe.Security.Pki.Authority;

/// <summary>A certificate the CA issued.</summary>
/// <param name="Serial">Its serial number (lower-case hex).</param>
/// <param name="Profile">The profile it was issued under.</param>
/// <param name="Subject">Its subject (RFC 4514 text).</param>
/// <param name="NotBefore">Start of validity.</param>
/// <param name="NotAfter">End of validity.</param>
/// <param name="Der">The certificate.</param>
public sealed record IssuedCertificate(string Serial, string Profile, string Subject, DateTimeOffset NotBefore, DateTimeOffset NotAfter, byte[] Der)
{
    /// <summary>The certificate as PEM.</summary>
    public string ToPem() => PemEncoding.WriteString("CERTIFICATE", Der) + "\n";
}

/// <summary>A certificate's status as the store holds it.</summary>
/// <param name="Serial">The serial number.</param>
/// <param name="Ca">The issuing CA's name.</param>
/// <param name="Profile">The profile.</param>
/// <param name="Subject">The subject.</param>
/// <param name="State">Good, revoked or on hold.</param>
/// <param name="RevokedAt">When it was revoked or suspended.</param>
/// <param name="Reason">Why.</param>
/// <param name="NotAfter">End of validity.</param>
public sealed record CertificateStatusInfo(string Serial, string Ca, string Profile, string Subject, CertificateState State, DateTimeOffset? RevokedAt,
    RevocationReason? Reason, DateTimeOffset NotAfter);

/// <summary>An issued certificate in a listing (per OPD monitoring).</summary>
/// <param name="Serial">The serial number.</param>
/// <param name="Profile">The profile.</param>
/// <param name="Subject">The subject.</param>
/// <param name="Nip">The official's NIP, for person certificates.</param>
/// <param name="Opd">The OPD.</param>
/// <param name="State">Good, revoked or on hold.</param>
/// <param name="IssuedAt">When it was issued.</param>
/// <param name="NotAfter">End of validity.</param>
public sealed record CertificateSummary(string Serial, string Profile, string Subject, string? Nip, string? Opd, CertificateState State, DateTimeOffset IssuedAt,
    DateTimeOffset NotAfter);

/// <summary>One CA of the hierarchy, as <c>spbe pki status</c> lists it.</summary>
/// <param name="Name">Its name (<c>root</c>, <c>issuing</c>).</param>
/// <param name="Role"><c>root</c> or <c>issuing</c>.</param>
/// <param name="Subject">Its subject.</param>
/// <param name="KeyStore"><c>file</c> or <c>pkcs11</c>.</param>
/// <param name="KeyOnline">Whether its private key is in the store of this host (a root may be offline).</param>
/// <param name="NotAfter">End of validity.</param>
/// <param name="Sha256">The certificate's SHA-256 fingerprint.</param>
public sealed record CaStatus(string Name, string Role, string Subject, string KeyStore, bool KeyOnline, DateTimeOffset NotAfter, string Sha256);

/// <summary>
/// The city's certificate authority: creates the hierarchy, issues certificates under profiles, suspends and revokes
/// them and keeps CRLs current. Every step is recorded in the hash-chained ledger in the same transaction as its
/// effect.
/// </summary>
public sealed partial class CertificateAuthority
{
    private static readonly DerObjectIdentifier Title = X509Name.T;

    private readonly CaHierarchy _hierarchy;
    private readonly ProfileCatalog _profiles;
    private readonly IDbContextFactory<PkiStoreContext> _contexts;
    private readonly PkiOptions _options;
    private readonly TimeProvider _time;
    private readonly PkiWriteGate _gate;
    private readonly CrlPublisher _crls;
    private readonly IssuanceRecorder _recorder;
    private readonly StatusSignal _signal;
    private readonly ILogger<CertificateAuthority> _logger;

    internal CertificateAuthority(CaHierarchy hierarchy, ProfileCatalog profiles, IDbContextFactory<PkiStoreContext> contexts, IOptions<PkiOptions> options,
        TimeProvider time, PkiWriteGate gate, CrlPublisher crls, IssuanceRecorder recorder, StatusSignal signal, ILogger<CertificateAuthority> logger)
    {
        _hierarchy = hierarchy;
        _profiles = profiles;
        _contexts = contexts;
        _options = options.Value;
        _time = time;
        _gate = gate;
        _crls = crls;
        _recorder = recorder;
        _signal = signal;
        _logger = logger;
    }

    /// <summary>Whether <c>spbe pki init</c> has run on this data.</summary>
    public bool IsInitialized => _hierarchy.IsInitialized;

    /// <summary>
    /// Creates what is missing of the hierarchy: the root CA (self-signed), the issuing CA, the root's CRL, the
    /// delegated OCSP and TSA certificates, and the issuing CA's first CRLs. Keeps what exists; idempotent.
    /// </summary>
    public async Task<IReadOnlyList<InitializationStep>> InitializeAsync(string actor, CancellationToken cancellationToken = default)
    {
        var steps = new List<InitializationStep>();
        var algorithm = KeyAlgorithm.Parse(_options.CaKeyAlgorithm);
        var organization = _options.Organization;
        var now = CrlPublisher.Truncate(_time.GetUtcNow());

        if (File.Exists(_hierarchy.CertificateFile(CaHierarchy.Root)))
        {
            steps.Add(InitializationStep.Kept("root CA", _hierarchy.CertificateFile(CaHierarchy.Root)));
        }
        else
        {
            using var key = _hierarchy.KeyStore.Exists(CaHierarchy.Root) ? _hierarchy.KeyStore.Open(CaHierarchy.Root) : _hierarchy.KeyStore.Generate(CaHierarchy.Root, algorithm);
            var name = BcCertificateBuilder.Name([(X509Name.C, "ID"), (X509Name.O, organization), (X509Name.CN, $"{organization} Root CA")]);
            var spki = SubjectPublicKeyInfo.GetInstance(key.ExportSubjectPublicKeyInfo());
            var certificate = BcCertificateBuilder.Build(new BigInteger(1, BcCertificateBuilder.NewSerial()), name, name, spki, now, now + _options.RootValidity,
                BcCertificateBuilder.CaExtensions(spki, null, 1, _options.PublicBaseUrl, _options.CertificatePolicyOid), key);
            _hierarchy.Write(CaHierarchy.Root, certificate.GetEncoded());
            await RecordAsync("ca-created", actor, CaHierarchy.Root, null, certificate.GetEncoded(), "root-ca", null, cancellationToken);
            steps.Add(InitializationStep.Created("root CA", $"{name}, {key.Algorithm}, key in {_hierarchy.KeyStore.Kind.ToString().ToLowerInvariant()} store"));
        }

        if (File.Exists(_hierarchy.CertificateFile(CaHierarchy.Issuing)))
        {
            steps.Add(InitializationStep.Kept("issuing CA", _hierarchy.CertificateFile(CaHierarchy.Issuing)));
        }
        else
        {
            var rootDer = File.ReadAllBytes(_hierarchy.CertificateFile(CaHierarchy.Root));
            var root = new Org.BouncyCastle.X509.X509CertificateParser().ReadCertificate(rootDer);
            using var rootKey = _hierarchy.KeyStore.Open(CaHierarchy.Root);
            using var key = _hierarchy.KeyStore.Exists(CaHierarchy.Issuing) ? _hierarchy.KeyStore.Open(CaHierarchy.Issuing) : _hierarchy.KeyStore.Generate(CaHierarchy.Issuing, algorithm);
            var name = BcCertificateBuilder.Name([(X509Name.C, "ID"), (X509Name.O, organization), (X509Name.CN, $"{organization} Issuing CA")]);
            var spki = SubjectPublicKeyInfo.GetInstance(key.ExportSubjectPublicKeyInfo());
            var notAfter = Min(now + _options.IssuingValidity, new DateTimeOffset(root.NotAfter, TimeSpan.Zero));
            var certificate = BcCertificateBuilder.Build(new BigInteger(1, BcCertificateBuilder.NewSerial()), root.SubjectDN, name, spki, now, notAfter,
                BcCertificateBuilder.CaExtensions(spki, root, 0, _options.PublicBaseUrl, _options.CertificatePolicyOid), rootKey);
            _hierarchy.Write(CaHierarchy.Issuing, certificate.GetEncoded());
            await RecordAsync("ca-created", actor, CaHierarchy.Root, null, certificate.GetEncoded(), "issuing-ca", null, cancellationToken);
            steps.Add(InitializationStep.Created("issuing CA", $"{name}, {key.Algorithm}"));
        }

        foreach (var (label, profile, title) in ServiceCertificates)
        {
            if (File.Exists(_hierarchy.CertificateFile(label)))
            {
                steps.Add(InitializationStep.Kept($"{label} certificate", _hierarchy.CertificateFile(label)));
                continue;
            }

            // Note: the service certificates are issued like any other (recorded, revocable), by the issuing CA.
            _hierarchy.Reset();
            using var key = _hierarchy.KeyStore.Exists(label) ? _hierarchy.KeyStore.Open(label) : _hierarchy.KeyStore.Generate(label, KeyAlgorithm.EcdsaP256);
            var issued = await IssueCoreAsync(profile, new SubjectInfo($"{organization} {title}"), key.ExportSubjectPublicKeyInfo(), actor, null,
                allowServiceProfiles: true, readHierarchyFromDisk: true, cancellationToken);
            if (!issued.Success)
            {
                throw new SpbeException(issued.ErrorCode!, $"the {label} certificate cannot be issued: {issued.Error}");
            }

            _hierarchy.Write(label, issued.Value!.Der);
            steps.Add(InitializationStep.Created($"{label} certificate", $"serial {issued.Value.Serial}, {key.Algorithm}"));
        }

        _hierarchy.Reset();
        if (!File.Exists(_crls.FullFile(CaHierarchy.Root)))
        {
            var root = await _crls.PublishRootAsync(actor, cancellationToken);
            steps.Add(InitializationStep.Created("root CRL", $"number {root.FullNumber}, valid until {root.NextUpdate:yyyy-MM-dd}"));
        }
        else
        {
            steps.Add(InitializationStep.Kept("root CRL", _crls.FullFile(CaHierarchy.Root)));
        }

        if (!File.Exists(_crls.FullFile(CaHierarchy.Issuing)))
        {
            var issuing = await _crls.PublishIssuingAsync(newBase: true, actor, cancellationToken);
            steps.Add(InitializationStep.Created("issuing CA CRLs", $"full {issuing.FullNumber}, delta {issuing.DeltaNumber}"));
        }
        else
        {
            steps.Add(InitializationStep.Kept("issuing CA CRLs", _crls.FullFile(CaHierarchy.Issuing)));
        }

        return steps;
    }

    private static readonly (string Label, string Profile, string Title)[] ServiceCertificates =
        [(CaHierarchy.Ocsp, CertificateProfile.OcspSigning, "OCSP Responder"), (CaHierarchy.Tsa, CertificateProfile.Tsa, "Time Stamping Authority")];

    /// <summary>
    /// Re-certifies the OCSP responder's and the TSA's keys when less than a third of their certificate's validity is
    /// left (the host's scheduler calls this), so that neither ever signs with an expired certificate. The old
    /// certificates are not revoked: answers and timestamps they signed stay verifiable until they expire.
    /// </summary>
    /// <returns>The labels renewed.</returns>
    public async Task<IReadOnlyList<string>> RenewServiceCertificatesAsync(string actor, CancellationToken cancellationToken = default)
    {
        var renewed = new List<string>();
        if (!_hierarchy.IsInitialized)
        {
            return renewed;
        }

        var now = _time.GetUtcNow();
        foreach (var (label, profile, title) in ServiceCertificates)
        {
            var entry = label == CaHierarchy.Ocsp ? _hierarchy.Current.Ocsp : _hierarchy.Current.Tsa;
            var notBefore = new DateTimeOffset(entry.Certificate.NotBefore, TimeSpan.Zero);
            var notAfter = new DateTimeOffset(entry.Certificate.NotAfter, TimeSpan.Zero);
            if (now < notAfter - ((notAfter - notBefore) / 3))
            {
                continue;
            }

            var key = _hierarchy.Key(label);
            var issued = await IssueCoreAsync(profile, new SubjectInfo($"{_options.Organization} {title}"), key.ExportSubjectPublicKeyInfo(), actor, null,
                allowServiceProfiles: true, readHierarchyFromDisk: false, cancellationToken);
            if (!issued.Success)
            {
                throw new SpbeException(issued.ErrorCode!, $"the {label} certificate cannot be renewed: {issued.Error}");
            }

            _hierarchy.Write(label, issued.Value!.Der);
            _hierarchy.Reset();
            renewed.Add(label);
            LogServiceRenewed(_logger, label, issued.Value.Serial, issued.Value.NotAfter);
        }

        return renewed;
    }

    /// <summary>The CAs of the hierarchy.</summary>
    public IReadOnlyList<CaStatus> Status()
    {
        var snapshot = _hierarchy.Current;
        var kind = _hierarchy.KeyStore.Kind.ToString().ToLowerInvariant();
        return
        [
            Describe(snapshot.Root, "root", kind),
            Describe(snapshot.Issuing, "issuing", kind),
        ];
    }

    /// <summary>The DER of a published certificate of the hierarchy (<c>root</c>, <c>issuing</c>, <c>ocsp</c>, <c>tsa</c>), or null.</summary>
    public byte[]? HierarchyCertificate(string name)
    {
        if (!_hierarchy.IsInitialized)
        {
            return null;
        }

        var snapshot = _hierarchy.Current;
        return name switch
        {
            CaHierarchy.Root => snapshot.Root.Der,
            CaHierarchy.Issuing => snapshot.Issuing.Der,
            CaHierarchy.Ocsp => snapshot.Ocsp.Der,
            CaHierarchy.Tsa => snapshot.Tsa.Der,
            _ => null,
        };
    }

    /// <summary>Exports the root key encrypted under <paramref name="passphrase"/> (PKCS#8 PEM, openssl-readable) for
    /// keeping offline. Only keys in the file store can leave the host; a token's keys follow the HSM's own backup.</summary>
    public async Task<PkiResult<string>> ExportRootKeyAsync(string passphrase, string actor, CancellationToken cancellationToken = default)
    {
        if (_hierarchy.KeyStore is not FileKeyStore files || !files.Exists(CaHierarchy.Root))
        {
            return PkiResult<string>.Fail(PkiErrors.KeyUnavailable, "the root key is not in this host's file key store (already offline, or on a token)");
        }

        if (passphrase.Length < PassphraseKeyWrap.MinimumPassphraseLength)
        {
            return PkiResult<string>.Fail(PkiErrors.PassphraseTooWeak, $"a passphrase has at least {PassphraseKeyWrap.MinimumPassphraseLength} characters");
        }

        var pem = files.ExportEncrypted(CaHierarchy.Root, passphrase);
        await LedgerAsync("root-key-exported", actor, cancellationToken);
        return PkiResult<string>.Ok(pem);
    }

    /// <summary>Removes the root key from the host after checking that <paramref name="backupPem"/> opens with
    /// <paramref name="passphrase"/> to that very key. The root CRL is re-issued first (valid a year).</summary>
    public async Task<PkiResult<bool>> RemoveRootKeyAsync(string backupPem, string passphrase, string actor, CancellationToken cancellationToken = default)
    {
        if (_hierarchy.KeyStore is not FileKeyStore files || !files.Exists(CaHierarchy.Root))
        {
            return PkiResult<bool>.Fail(PkiErrors.KeyUnavailable, "the root key is not in this host's file key store");
        }

        if (!BackupMatchesRoot(backupPem, passphrase))
        {
            return PkiResult<bool>.Fail(PkiErrors.WrongPassphrase, "the backup does not open with that passphrase to the root key; nothing was removed");
        }

        await _crls.PublishRootAsync(actor, cancellationToken);
        files.Remove(CaHierarchy.Root);
        await LedgerAsync("root-key-removed", actor, cancellationToken);
        return PkiResult<bool>.Ok(true);
    }

    /// <summary>Brings the root key back online from an export (to sign a new issuing CA or the root's CRL).</summary>
    public async Task<PkiResult<bool>> ImportRootKeyAsync(string backupPem, string passphrase, string actor, CancellationToken cancellationToken = default)
    {
        if (_hierarchy.KeyStore is not FileKeyStore files)
        {
            return PkiResult<bool>.Fail(PkiErrors.KeyUnavailable, "the root key lives on the token; there is nothing to import");
        }

        if (!BackupMatchesRoot(backupPem, passphrase))
        {
            return PkiResult<bool>.Fail(PkiErrors.WrongPassphrase, "the backup does not open with that passphrase to the root key");
        }

        files.ImportEncrypted(CaHierarchy.Root, backupPem, passphrase);
        await LedgerAsync("root-key-imported", actor, cancellationToken);
        return PkiResult<bool>.Ok(true);
    }

    private bool BackupMatchesRoot(string pem, string passphrase)
    {
        using var root = X509CertificateLoader.LoadCertificate(_hierarchy.Current.Root.Der);
        using var key = SoftwareKeys.FromEncryptedPem(CaHierarchy.Root, pem, passphrase);
        return key is not null && key.ExportSubjectPublicKeyInfo().AsSpan().SequenceEqual(root.PublicKey.ExportSubjectPublicKeyInfo());
    }

    private async Task LedgerAsync(string action, string actor, CancellationToken cancellationToken)
    {
        using var writing = await _gate.EnterAsync(cancellationToken);
        await using var context = await _contexts.CreateDbContextAsync(cancellationToken);
        await LedgerChain.AppendAsync(context, _time.GetUtcNow(), action, actor, CaHierarchy.Root, new Dictionary<string, string?>(), cancellationToken);
        await context.SaveChangesAsync(cancellationToken);
    }

    /// <summary>Where a published CRL is (<c>root</c>, <c>issuing</c>, <c>issuing-delta</c>), or null for another name.</summary>
    public string? CrlFile(string name) => name switch
    {
        CaHierarchy.Root or CaHierarchy.Issuing => _crls.FullFile(name),
        "issuing-delta" => _crls.DeltaFile(CaHierarchy.Issuing),
        _ => null,
    };

    /// <summary>Issues a certificate for a PKCS#10 request: the request proves possession of the key; the subject comes
    /// from <paramref name="subject"/> (the account), and a subject the request names must agree with it.</summary>
    public async Task<PkiResult<IssuedCertificate>> IssueFromRequestAsync(string profileName, SubjectInfo subject, ReadOnlyMemory<byte> request, string actor,
        Guid? requestId = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(subject);
        var parsed = CertificateRequestParser.Parse(request.Span);
        if (!parsed.Success)
        {
            LogRejected(_logger, parsed.ErrorCode!, profileName, parsed.Error!);
            return parsed.As<IssuedCertificate>();
        }

        if (!_profiles.TryFind(profileName, out var profile))
        {
            return PkiResult<IssuedCertificate>.Fail(PkiErrors.UnknownProfile, $"no certificate profile '{profileName}' (known: {string.Join(", ", _profiles.Profiles.Keys.Order(StringComparer.Ordinal))})");
        }

        if (ValidateSubject(profile, subject) is { } invalid)
        {
            return PkiResult<IssuedCertificate>.Fail(PkiErrors.SubjectInvalid, invalid);
        }

        if (SubjectMismatch(profile, subject, parsed.Value!.Subject) is { } mismatch)
        {
            LogRejected(_logger, PkiErrors.SubjectMismatch, profileName, mismatch);
            return PkiResult<IssuedCertificate>.Fail(PkiErrors.SubjectMismatch, mismatch);
        }

        return await IssueAsync(profileName, subject, parsed.Value.SubjectPublicKeyInfo, actor, requestId, cancellationToken);
    }

    /// <summary>Issues a certificate under <paramref name="profileName"/> for a public key (DER SubjectPublicKeyInfo).</summary>
    public Task<PkiResult<IssuedCertificate>> IssueAsync(string profileName, SubjectInfo subject, byte[] subjectPublicKeyInfo, string actor,
        Guid? requestId = null, CancellationToken cancellationToken = default) =>
        IssueCoreAsync(profileName, subject, subjectPublicKeyInfo, actor, requestId, allowServiceProfiles: false, readHierarchyFromDisk: false, cancellationToken);

    /// <summary>Suspends (<see cref="RevocationReason.CertificateHold"/>) or revokes a certificate, then publishes new CRLs.</summary>
    public async Task<PkiResult<CertificateStatusInfo>> RevokeAsync(string serialText, RevocationReason reason, string actor, CancellationToken cancellationToken = default)
    {
        var serial = Serials.Parse(serialText);
        if (!serial.Success)
        {
            return serial.As<CertificateStatusInfo>();
        }

        if (!Enum.IsDefined(reason))
        {
            return PkiResult<CertificateStatusInfo>.Fail(PkiErrors.InvalidReason, $"not a revocation reason (allowed: {RevocationReasons.AllNames})");
        }

        var result = await ChangeAsync(serial.Value!, actor, cancellationToken, record =>
        {
            if (record.State == CertificateState.Revoked)
            {
                return "it is already revoked";
            }

            if (record.State == CertificateState.OnHold && reason == RevocationReason.CertificateHold)
            {
                return "it is already on hold";
            }

            var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
            record.State = reason == RevocationReason.CertificateHold ? CertificateState.OnHold : CertificateState.Revoked;
            // Note: a suspended certificate revoked for good keeps its original revocation time (RFC 5280 5.3.2:
            // invalid since then); the reason becomes the final one.
            record.RevokedAt = record.RevokedAt is { } held && reason != RevocationReason.CertificateHold ? held : now;
            record.Reason = (int)reason;
            record.ReleasedAt = null;
            return null;
        }, reason == RevocationReason.CertificateHold ? "certificate-suspended" : "certificate-revoked", RevocationReasons.Name(reason));
        return result;
    }

    /// <summary>Releases a certificate from hold: it is good again.</summary>
    public Task<PkiResult<CertificateStatusInfo>> ReleaseHoldAsync(string serialText, string actor, CancellationToken cancellationToken = default)
    {
        var serial = Serials.Parse(serialText);
        if (!serial.Success)
        {
            return Task.FromResult(serial.As<CertificateStatusInfo>());
        }

        return ChangeAsync(serial.Value!, actor, cancellationToken, record =>
        {
            if (record.State != CertificateState.OnHold)
            {
                return "it is not on hold";
            }

            record.State = CertificateState.Good;
            record.RevokedAt = null;
            record.Reason = null;
            record.ReleasedAt = _time.GetUtcNow().ToUnixTimeMilliseconds();
            return null;
        }, "certificate-released", null);
    }

    /// <summary>A certificate's current status, or null when no certificate has that serial.</summary>
    public async Task<CertificateStatusInfo?> FindAsync(string serialText, CancellationToken cancellationToken = default)
    {
        var serial = Serials.Parse(serialText);
        if (!serial.Success)
        {
            return null;
        }

        await using var context = await _contexts.CreateDbContextAsync(cancellationToken);
        var record = await context.Certificates.AsNoTracking().SingleOrDefaultAsync(c => c.Serial == serial.Value, cancellationToken);
        return record is null ? null : Describe(record);
    }

    /// <summary>Certificates the issuing CA issued to officials, OPDs and servers (not its own service certificates), newest
    /// first, optionally of one OPD and one state; at most <paramref name="limit"/>.</summary>
    public async Task<IReadOnlyList<CertificateSummary>> ListAsync(string? opd = null, CertificateState? state = null, int limit = 1000,
        CancellationToken cancellationToken = default)
    {
        await using var context = await _contexts.CreateDbContextAsync(cancellationToken);
        var rows = await context.Certificates.AsNoTracking()
            .Where(c => c.Ca == CaHierarchy.Issuing && c.Opd != null && (opd == null || c.Opd == opd) && (state == null || c.State == state))
            .OrderByDescending(c => c.IssuedAt)
            .Take(Math.Clamp(limit, 1, 100_000))
            .Select(c => new { c.Serial, c.Profile, c.Subject, c.Nip, c.Opd, c.State, c.IssuedAt, c.NotAfter })
            .ToListAsync(cancellationToken);
        return [.. rows.Select(c => new CertificateSummary(c.Serial, c.Profile, c.Subject, c.Nip, c.Opd, c.State,
            DateTimeOffset.FromUnixTimeMilliseconds(c.IssuedAt), DateTimeOffset.FromUnixTimeMilliseconds(c.NotAfter)))];
    }

    /// <summary>Publishes the issuing CA's CRLs now (a new delta base).</summary>
    public Task<CrlPublication> PublishCrlsAsync(string actor, CancellationToken cancellationToken = default) =>
        _crls.PublishIssuingAsync(newBase: true, actor, cancellationToken);

    private async Task<PkiResult<CertificateStatusInfo>> ChangeAsync(string serial, string actor, CancellationToken cancellationToken,
        Func<CertificateRecord, string?> change, string action, string? reasonName)
    {
        _ = _hierarchy.Current;
        CertificateStatusInfo info;
        using (await _gate.EnterAsync(cancellationToken))
        {
            await using var context = await _contexts.CreateDbContextAsync(cancellationToken);
            await using var transaction = await context.Database.BeginTransactionAsync(cancellationToken);
            var record = await context.Certificates.SingleOrDefaultAsync(c => c.Serial == serial, cancellationToken);
            if (record is null)
            {
                return PkiResult<CertificateStatusInfo>.Fail(PkiErrors.UnknownCertificate, $"no certificate with serial {serial}");
            }

            if (change(record) is { } refusal)
            {
                return PkiResult<CertificateStatusInfo>.Fail(PkiErrors.InvalidTransition, $"certificate {serial}: {refusal}");
            }

            record.Version++;
            record.StatusChangedAt = _time.GetUtcNow().ToUnixTimeMilliseconds();
            await LedgerChain.AppendAsync(context, _time.GetUtcNow(), action, actor, serial, new Dictionary<string, string?>
            {
                ["reason"] = reasonName,
                ["subject"] = record.Subject,
                ["profile"] = record.Profile,
            }, cancellationToken);
            await context.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            info = Describe(record);
            LogStatusChanged(_logger, action, serial, reasonName ?? "-");
        }

        // Note: OCSP stops answering from its pre-signed answers now, whatever happens to the CRL publication below.
        _signal.Raise();

        // Note: a revocation is on the very next CRLs: both are issued now, not at the next scheduled time.
        if (info.Ca == CaHierarchy.Issuing)
        {
            await _crls.PublishIssuingAsync(newBase: false, actor, cancellationToken);
        }
        else if (_hierarchy.KeyStore.Exists(CaHierarchy.Root))
        {
            await _crls.PublishRootAsync(actor, cancellationToken);
        }

        return PkiResult<CertificateStatusInfo>.Ok(info);
    }

    private async Task<PkiResult<IssuedCertificate>> IssueCoreAsync(string profileName, SubjectInfo subject, byte[] subjectPublicKeyInfo, string actor,
        Guid? requestId, bool allowServiceProfiles, bool readHierarchyFromDisk, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(subjectPublicKeyInfo);
        if (!_profiles.TryFind(profileName, out var profile))
        {
            return PkiResult<IssuedCertificate>.Fail(PkiErrors.UnknownProfile, $"no certificate profile '{profileName}' (known: {string.Join(", ", _profiles.Profiles.Keys.Order(StringComparer.Ordinal))})");
        }

        if (profile.Subject == SubjectKind.Service && !allowServiceProfiles)
        {
            return PkiResult<IssuedCertificate>.Fail(PkiErrors.UnknownProfile, $"the profile '{profileName}' is for the CA's own services");
        }

        var algorithm = KeyAlgorithm.Of(subjectPublicKeyInfo.AsSpan());
        if (algorithm is null || !profile.KeyAlgorithms.Contains(algorithm))
        {
            return PkiResult<IssuedCertificate>.Fail(PkiErrors.KeyNotAllowed,
                $"the profile '{profileName}' allows keys of type {string.Join(", ", profile.KeyAlgorithms.Select(a => a.Name))}, not {algorithm?.Name ?? "this one"}");
        }

        if (ValidateSubject(profile, subject) is { } invalid)
        {
            return PkiResult<IssuedCertificate>.Fail(PkiErrors.SubjectInvalid, invalid);
        }

        CaHierarchy.Entry issuer;
        if (readHierarchyFromDisk)
        {
            var der = X509Certificate2.CreateFromPem(File.ReadAllText(_hierarchy.CertificateFile(CaHierarchy.Issuing))).RawData;
            issuer = new CaHierarchy.Entry(CaHierarchy.Issuing, der, new Org.BouncyCastle.X509.X509CertificateParser().ReadCertificate(der));
        }
        else
        {
            issuer = _hierarchy.Current.Issuing;
        }

        var key = _hierarchy.Key(CaHierarchy.Issuing);
        var now = CrlPublisher.Truncate(_time.GetUtcNow());
        var issuerNotBefore = new DateTimeOffset(issuer.Certificate.NotBefore, TimeSpan.Zero);
        var issuerNotAfter = new DateTimeOffset(issuer.Certificate.NotAfter, TimeSpan.Zero);
        // Note: backdated a little for relying parties whose clocks run behind, but never before the issuer's own
        // start, and never ending after the issuer (validity nests inside the issuer's).
        var notBefore = Max(now - TimeSpan.FromMinutes(5), issuerNotBefore);
        var notAfter = Min(now + profile.Validity, issuerNotAfter);
        if (notAfter <= notBefore)
        {
            return PkiResult<IssuedCertificate>.Fail(PkiErrors.NotInitialized, "the issuing CA certificate has expired");
        }

        var spki = SubjectPublicKeyInfo.GetInstance(subjectPublicKeyInfo);
        var name = SubjectName(profile, subject);
        var subjectText = new X500DistinguishedName(name.GetEncoded()).Name;
        var extensions = BcCertificateBuilder.EndEntityExtensions(profile, spki, issuer.Certificate, CaHierarchy.Issuing, _options.PublicBaseUrl,
            _options.CertificatePolicyOid, subject.Email, profile.Subject == SubjectKind.Server ? subject.DnsNames ?? [] : []);

        for (var attempt = 0; ; attempt++)
        {
            var serialBytes = BcCertificateBuilder.NewSerial();
            var certificate = BcCertificateBuilder.Build(new BigInteger(1, serialBytes), issuer.Certificate.SubjectDN, name, spki, notBefore, notAfter, extensions, key);
            var der = certificate.GetEncoded();
            var serial = Serials.ToText(serialBytes);
            try
            {
                await RecordAsync("certificate-issued", actor, CaHierarchy.Issuing, requestId, der, profile.Name, subject, serial, subjectText, notBefore, notAfter, cancellationToken);
            }
            catch (DbUpdateException) when (attempt < 3)
            {
                // Note: a serial collision (2^-127) or another process's ledger entry taking the same sequence: retry.
                continue;
            }

            LogIssued(_logger, serial, profile.Name, subject.OpdCode ?? "-");
            return PkiResult<IssuedCertificate>.Ok(new IssuedCertificate(serial, profile.Name, subjectText, notBefore, notAfter, der));
        }
    }

    private Task RecordAsync(string action, string actor, string ca, Guid? requestId, byte[] der, string profile, SubjectInfo? subject, CancellationToken cancellationToken)
    {
        using var certificate = X509CertificateLoader.LoadCertificate(der);
        return RecordAsync(action, actor, ca, requestId, der, profile, subject, Serials.ToText(certificate.SerialNumberBytes.Span), certificate.Subject,
            new DateTimeOffset(certificate.NotBefore.ToUniversalTime()), new DateTimeOffset(certificate.NotAfter.ToUniversalTime()), cancellationToken);
    }

    private async Task RecordAsync(string action, string actor, string ca, Guid? requestId, byte[] der, string profile, SubjectInfo? subject,
        string serial, string subjectText, DateTimeOffset notBefore, DateTimeOffset notAfter, CancellationToken cancellationToken)
    {
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(der));
        var record = new CertificateRecord
        {
            Serial = serial,
            Ca = ca,
            Profile = profile,
            Subject = subjectText,
            Nip = subject?.Nip,
            Opd = subject?.OpdCode,
            NotBefore = notBefore.ToUnixTimeMilliseconds(),
            NotAfter = notAfter.ToUnixTimeMilliseconds(),
            IssuedAt = _time.GetUtcNow().ToUnixTimeMilliseconds(),
            State = CertificateState.Good,
            Der = der,
            Thumbprint = sha256,
            RequestId = requestId,
        };
        await _recorder.RecordAsync(record, action, actor, new Dictionary<string, string?>
        {
            ["profile"] = profile,
            ["subject"] = subjectText,
            ["sha256"] = sha256,
            ["request"] = requestId?.ToString(),
        }, cancellationToken);
    }

    private X509Name SubjectName(CertificateProfile profile, SubjectInfo subject) => profile.Subject switch
    {
        SubjectKind.Person => BcCertificateBuilder.Name([(X509Name.C, "ID"), (X509Name.O, _options.Organization), (X509Name.OU, subject.OpdCode!),
            (Title, subject.Jabatan!), (X509Name.SerialNumber, subject.Nip!), (X509Name.CN, subject.Name)]),
        SubjectKind.Organization => BcCertificateBuilder.Name([(X509Name.C, "ID"), (X509Name.O, _options.Organization), (X509Name.OU, subject.OpdCode!),
            (X509Name.CN, subject.Name)]),
        SubjectKind.Server => BcCertificateBuilder.Name([(X509Name.C, "ID"), (X509Name.O, _options.Organization), (X509Name.OU, subject.OpdCode!),
            (X509Name.CN, subject.DnsNames![0])]),
        _ => BcCertificateBuilder.Name([(X509Name.C, "ID"), (X509Name.O, _options.Organization), (X509Name.CN, subject.Name)]),
    };

    /// <summary>What is wrong with the subject data for this profile, or null.</summary>
    internal static string? ValidateSubject(CertificateProfile profile, SubjectInfo subject)
    {
        static bool Text(string? value, int max) => !string.IsNullOrWhiteSpace(value) && value.Length <= max && !value.Any(char.IsControl);
        if (!Text(subject.Name, 64))
        {
            return "a name (1-64 characters, no control characters) is required";
        }

        if (subject.Email is { } email && !EmailPattern().IsMatch(email))
        {
            return $"'{email}' is not an e-mail address";
        }

        switch (profile.Subject)
        {
            case SubjectKind.Person:
                if (subject.Nip is null || !NipPattern().IsMatch(subject.Nip))
                {
                    return "a person's certificate needs the 18-digit NIP";
                }

                if (!Text(subject.OpdCode, 32) || !Text(subject.Jabatan, 64))
                {
                    return "a person's certificate needs the OPD and the jabatan";
                }

                break;
            case SubjectKind.Organization:
                if (!Text(subject.OpdCode, 32))
                {
                    return "an OPD seal needs the OPD's code";
                }

                break;
            case SubjectKind.Server:
                if (!Text(subject.OpdCode, 32))
                {
                    return "a server certificate needs the OPD that runs the server";
                }

                if (subject.DnsNames is not { Count: > 0 and <= 20 } names
                    || names.Any(n => !HostName().IsMatch(n) || n.Length > 253 || !n.Contains('.', StringComparison.Ordinal) || n.Split('.')[^1].All(char.IsAsciiDigit)))
                {
                    return "a server certificate needs 1-20 fully qualified DNS names (letters, digits, '-' and '.'; no wildcards, no IP addresses)";
                }

                if (profile.DnsSuffixes.Count > 0 && names.FirstOrDefault(n => !profile.DnsSuffixes.Any(suffix =>
                    n.Equals(suffix, StringComparison.OrdinalIgnoreCase) || n.EndsWith("." + suffix, StringComparison.OrdinalIgnoreCase))) is { } outside)
                {
                    return $"'{outside}' is outside the domains this profile certifies ({string.Join(", ", profile.DnsSuffixes)})";
                }

                break;
        }

        return null;
    }

    /// <summary>Why the subject a request names disagrees with the account it is issued to, or null. Attributes the
    /// request leaves out are fine (the certificate's subject is built from the account anyway).</summary>
    internal static string? SubjectMismatch(CertificateProfile profile, SubjectInfo subject, X500DistinguishedName requested)
    {
        static string Normal(string value) => string.Join(' ', value.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)).ToUpperInvariant();
        foreach (var rdn in requested.EnumerateRelativeDistinguishedNames())
        {
            if (rdn.HasMultipleElements)
            {
                return "the request's subject has multi-valued attributes";
            }

            var type = rdn.GetSingleElementType().Value;
            var value = rdn.GetSingleElementValue() ?? string.Empty;
            var expected = (type, profile.Subject) switch
            {
                ("2.5.4.5", SubjectKind.Person) => subject.Nip,
                ("2.5.4.3", SubjectKind.Server) => subject.DnsNames?.FirstOrDefault(d => string.Equals(d, value, StringComparison.OrdinalIgnoreCase)) ?? subject.DnsNames?.FirstOrDefault(),
                ("2.5.4.3", _) => subject.Name,
                ("2.5.4.11", SubjectKind.Person or SubjectKind.Organization or SubjectKind.Server) => subject.OpdCode,
                _ => null,
            };
            if (expected is not null && Normal(expected) != Normal(value))
            {
                var what = type switch { "2.5.4.5" => "NIP (serialNumber)", "2.5.4.3" => "name (CN)", _ => "OPD (OU)" };
                return $"the request names another {what} than the account it is for";
            }
        }

        return null;
    }

    private static CertificateStatusInfo Describe(CertificateRecord record) => new(record.Serial, record.Ca, record.Profile, record.Subject, record.State,
        record.RevokedAt is { } at ? DateTimeOffset.FromUnixTimeMilliseconds(at) : null,
        record.Reason is { } reason ? (RevocationReason)reason : null,
        DateTimeOffset.FromUnixTimeMilliseconds(record.NotAfter));

    private CaStatus Describe(CaHierarchy.Entry entry, string role, string kind)
    {
        using var certificate = X509CertificateLoader.LoadCertificate(entry.Der);
        return new CaStatus(entry.Name, role, certificate.Subject, kind, _hierarchy.KeyStore.Exists(entry.Name),
            new DateTimeOffset(certificate.NotAfter.ToUniversalTime()), Convert.ToHexStringLower(SHA256.HashData(entry.Der)));
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    [GeneratedRegex("^[0-9]{18}$", RegexOptions.CultureInvariant)]
    private static partial Regex NipPattern();

    [GeneratedRegex("^(?=.{1,253}$)([a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)(\\.[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$", RegexOptions.CultureInvariant)]
    private static partial Regex HostName();

    [GeneratedRegex("^[^@\\s\\p{Cc}]{1,64}@[a-zA-Z0-9.-]{1,253}$", RegexOptions.CultureInvariant)]
    private static partial Regex EmailPattern();

    [LoggerMessage(EventId = 4100, Level = LogLevel.Information, Message = "Certificate {Serial} issued under profile {Profile} for OPD {Opd}")]
    private static partial void LogIssued(ILogger logger, string serial, string profile, string opd);

    [LoggerMessage(EventId = 4101, Level = LogLevel.Information, Message = "Certificate request refused ({Code}) for profile {Profile}: {Reason}")]
    private static partial void LogRejected(ILogger logger, string code, string profile, string reason);

    [LoggerMessage(EventId = 4103, Level = LogLevel.Information, Message = "The {Label} certificate was renewed: serial {Serial}, valid until {NotAfter}")]
    private static partial void LogServiceRenewed(ILogger logger, string label, string serial, DateTimeOffset notAfter);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Information, Message = "Certificate {Serial}: {Action} ({Reason})")]
    private static partial void LogStatusChanged(ILogger logger, string action, string serial, string reason);
}
