using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Spbe.Security.Pki.Keys;
using Spbe.Security.Pki.Ledger;
using Spbe.Security.Pki.Persistence;
using Spbe.Security.Pki.Profiles;

namespace Spbe.Security.Pki.Authority;

/// <summary>A certificate request as the registration authority shows it.</summary>
/// <param name="Id">The request's id.</param>
/// <param name="Profile">The profile asked for.</param>
/// <param name="SubjectId">The official's NIP, or the OPD's code.</param>
/// <param name="Opd">The OPD (for per-OPD lists and monitoring).</param>
/// <param name="SubjectName">The subject's name.</param>
/// <param name="State">Pending, issued or rejected.</param>
/// <param name="ServerKey">Whether the server generated the key (wrapped under the official's passphrase).</param>
/// <param name="RequestedBy">Who asked.</param>
/// <param name="RequestedAt">When.</param>
/// <param name="DecidedBy">The pki-officer who decided, if decided.</param>
/// <param name="Note">The rejection reason, if rejected.</param>
/// <param name="Serial">The certificate issued for it, if issued.</param>
/// <param name="Replaces">The certificate it renews or re-keys, if any.</param>
public sealed record RegistrationInfo(Guid Id, string Profile, string SubjectId, string Opd, string SubjectName, RegistrationState State, bool ServerKey,
    string RequestedBy, DateTimeOffset RequestedAt, string? DecidedBy, string? Note, string? Serial, string? Replaces);

/// <summary>
/// The registration authority: an official (or an officer for them) asks for a certificate, with a CSR or with a key
/// the server generates and wraps under the official's passphrase; a pki-officer approves after checking identity (or
/// rejects with a reason); approval issues through the CA. Renewal (same key) and re-key (new key) are requests that
/// name the certificate they replace, which is revoked as superseded once the new one is issued. Every step is in the
/// ledger.
/// </summary>
public sealed partial class RegistrationAuthority
{
    /// <summary>Wrong passphrases in a row after which a signer key is locked.</summary>
    public const int MaxPassphraseFailures = 5;

    private readonly CertificateAuthority _authority;
    private readonly ProfileCatalog _profiles;
    private readonly IDbContextFactory<PkiStoreContext> _contexts;
    private readonly PkiWriteGate _gate;
    private readonly TimeProvider _time;
    private readonly ILogger<RegistrationAuthority> _logger;

    internal RegistrationAuthority(CertificateAuthority authority, ProfileCatalog profiles, IDbContextFactory<PkiStoreContext> contexts, PkiWriteGate gate,
        TimeProvider time, ILogger<RegistrationAuthority> logger)
    {
        _authority = authority;
        _profiles = profiles;
        _contexts = contexts;
        _gate = gate;
        _time = time;
        _logger = logger;
    }

    /// <summary>
    /// Records a request. Give <paramref name="csr"/> for a key the official holds, or <paramref name="passphrase"/>
    /// for a key the server generates (person profiles only), or neither with <paramref name="replaces"/> to renew the
    /// replaced certificate's key.
    /// </summary>
    public async Task<PkiResult<RegistrationInfo>> RequestAsync(string profileName, SubjectInfo subject, ReadOnlyMemory<byte>? csr, string? passphrase,
        string requestedBy, string? replaces = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(subject);
        if (!_profiles.TryFind(profileName, out var profile) || profile.Subject == SubjectKind.Service)
        {
            return PkiResult<RegistrationInfo>.Fail(PkiErrors.UnknownProfile, $"no certificate profile '{profileName}' for officials or OPDs");
        }

        if (CertificateAuthority.ValidateSubject(profile, subject) is { } invalid)
        {
            return PkiResult<RegistrationInfo>.Fail(PkiErrors.SubjectInvalid, invalid);
        }

        var subjectId = profile.Subject == SubjectKind.Person ? subject.Nip! : subject.OpdCode!;
        var id = Guid.CreateVersion7(_time.GetUtcNow());
        byte[]? request = null;
        byte[]? publicKey = null;
        SignerKeyRecord? signerKey = null;
        // Note: an empty buffer counts as no CSR (a null byte[] converts to an empty ReadOnlyMemory, not to null).
        if (csr is { IsEmpty: false } csrBytes)
        {
            var parsed = CertificateRequestParser.Parse(csrBytes.Span);
            if (!parsed.Success)
            {
                return parsed.As<RegistrationInfo>();
            }

            if (!profile.KeyAlgorithms.Contains(parsed.Value!.Algorithm))
            {
                return PkiResult<RegistrationInfo>.Fail(PkiErrors.KeyNotAllowed, $"the profile '{profileName}' does not allow {parsed.Value.Algorithm} keys");
            }

            if (CertificateAuthority.SubjectMismatch(profile, subject, parsed.Value.Subject) is { } mismatch)
            {
                return PkiResult<RegistrationInfo>.Fail(PkiErrors.SubjectMismatch, mismatch);
            }

            request = csrBytes.ToArray();
        }
        else if (passphrase is not null)
        {
            if (profile.Subject != SubjectKind.Person)
            {
                return PkiResult<RegistrationInfo>.Fail(PkiErrors.KeyNotAllowed, "the server generates keys for officials' signing certificates only; send a CSR");
            }

            if (passphrase.Length < PassphraseKeyWrap.MinimumPassphraseLength)
            {
                return PkiResult<RegistrationInfo>.Fail(PkiErrors.PassphraseTooWeak, $"a passphrase has at least {PassphraseKeyWrap.MinimumPassphraseLength} characters");
            }

            var algorithm = profile.KeyAlgorithms.Contains(KeyAlgorithm.EcdsaP256) ? KeyAlgorithm.EcdsaP256 : profile.KeyAlgorithms[0];
            using var key = algorithm.Generate();
            var pkcs8 = key.ExportPkcs8PrivateKey();
            try
            {
                publicKey = key.ExportSubjectPublicKeyInfo();
                signerKey = new SignerKeyRecord
                {
                    Id = id,
                    Nip = subject.Nip!,
                    Wrapped = PassphraseKeyWrap.Wrap(pkcs8, passphrase, id),
                    PublicKey = publicKey,
                    CreatedAt = _time.GetUtcNow().ToUnixTimeMilliseconds(),
                };
            }
            finally
            {
                CryptographicOperations.ZeroMemory(pkcs8);
            }
        }
        else if (replaces is null)
        {
            return PkiResult<RegistrationInfo>.Fail(PkiErrors.CsrMalformed, "send a CSR, or a passphrase for a server-generated key, or name the certificate to renew");
        }

        using var writing = await _gate.EnterAsync(cancellationToken);
        await using var context = await _contexts.CreateDbContextAsync(cancellationToken);
        await using var transaction = await context.Database.BeginTransactionAsync(cancellationToken);
        string? replacedSerial = null;
        if (replaces is not null)
        {
            var serial = Serials.Parse(replaces);
            var old = serial.Success ? await context.Certificates.AsNoTracking().SingleOrDefaultAsync(c => c.Serial == serial.Value, cancellationToken) : null;
            if (old is null || (old.Nip ?? old.Opd) != subjectId || old.Profile != profile.Name)
            {
                return PkiResult<RegistrationInfo>.Fail(PkiErrors.UnknownCertificate, "the certificate to replace does not exist, belongs to someone else, or has another profile");
            }

            // Note: a suspended key may be compromised: it is not certified again (re-key instead, after the hold is lifted).
            if (old.State != CertificateState.Good || old.NotAfter <= _time.GetUtcNow().ToUnixTimeMilliseconds())
            {
                return PkiResult<RegistrationInfo>.Fail(PkiErrors.InvalidTransition, "the certificate to replace is suspended, revoked or expired");
            }

            replacedSerial = old.Serial;
        }

        var record = new RegistrationRecord
        {
            Id = id,
            Profile = profile.Name,
            SubjectId = subjectId,
            Opd = subject.OpdCode ?? string.Empty,
            SubjectJson = JsonSerializer.Serialize(subject),
            Csr = request,
            ServerKey = signerKey is not null,
            State = RegistrationState.Pending,
            RequestedBy = requestedBy,
            RequestedAt = _time.GetUtcNow().ToUnixTimeMilliseconds(),
            Replaces = replacedSerial,
        };
        context.Registrations.Add(record);
        if (signerKey is not null)
        {
            context.SignerKeys.Add(signerKey);
        }

        var kind = request is not null ? "csr" : signerKey is not null ? "server-key" : "renewal";
        await LedgerChain.AppendAsync(context, _time.GetUtcNow(), "registration-requested", requestedBy, id.ToString(), new Dictionary<string, string?>
        {
            ["profile"] = profile.Name,
            ["subject"] = subjectId,
            ["kind"] = kind,
            ["replaces"] = replacedSerial,
        }, cancellationToken);
        await context.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        LogRequested(_logger, id, profile.Name, record.Opd, kind);
        return PkiResult<RegistrationInfo>.Ok(Describe(record, subject.Name));
    }

    /// <summary>
    /// Approves a pending request and issues its certificate; a replaced certificate is revoked as superseded. The
    /// request is claimed first (a second approval or a rejection racing this one finds it taken). When
    /// <paramref name="current"/> is given (the account as it is now), a request whose subject no longer matches it is
    /// refused: the official must ask again.
    /// </summary>
    public async Task<PkiResult<IssuedCertificate>> ApproveAsync(Guid id, string officer, CancellationToken cancellationToken = default, SubjectInfo? current = null)
    {
        RegistrationRecord record;
        byte[] publicKey;
        using (await _gate.EnterAsync(cancellationToken))
        {
            await using var context = await _contexts.CreateDbContextAsync(cancellationToken);
            var found = await context.Registrations.SingleOrDefaultAsync(r => r.Id == id, cancellationToken);
            if (found is not { State: RegistrationState.Pending })
            {
                return PkiResult<IssuedCertificate>.Fail(PkiErrors.UnknownRequest, $"no pending certificate request {id}");
            }

            if (string.Equals(found.SubjectId, officer, StringComparison.Ordinal))
            {
                return PkiResult<IssuedCertificate>.Fail(PkiErrors.SelfApproval, "an officer cannot approve a request for their own certificate");
            }

            if (current is not null && JsonSerializer.Serialize(current) != found.SubjectJson)
            {
                return PkiResult<IssuedCertificate>.Fail(PkiErrors.SubjectInvalid, "the account changed since the request (name, OPD, jabatan or e-mail); the official must ask again");
            }

            if (found.Replaces is { } replaced && await context.Certificates.AsNoTracking().SingleOrDefaultAsync(c => c.Serial == replaced, cancellationToken) is var old
                && (old is null || old.State != CertificateState.Good || old.NotAfter <= _time.GetUtcNow().ToUnixTimeMilliseconds()))
            {
                return PkiResult<IssuedCertificate>.Fail(PkiErrors.InvalidTransition, "the certificate to replace is no longer valid (suspended, revoked or expired)");
            }

            record = found;
            if (record.Csr is { } csr)
            {
                publicKey = CertificateRequestParser.Parse(csr).Value!.SubjectPublicKeyInfo;
            }
            else if (record.ServerKey)
            {
                publicKey = (await context.SignerKeys.AsNoTracking().SingleAsync(k => k.Id == id, cancellationToken)).PublicKey;
            }
            else
            {
                var renewed = await context.Certificates.AsNoTracking().SingleAsync(c => c.Serial == record.Replaces, cancellationToken);
                using var certificate = X509CertificateLoader.LoadCertificate(renewed.Der);
                publicKey = certificate.PublicKey.ExportSubjectPublicKeyInfo();
            }

            (found.State, found.DecidedBy) = (RegistrationState.Approving, officer);
            found.Version++;
            await context.SaveChangesAsync(cancellationToken);
        }

        var subject = JsonSerializer.Deserialize<SubjectInfo>(record.SubjectJson)!;
        var issued = await _authority.IssueAsync(record.Profile, subject, publicKey, officer, id, cancellationToken);
        if (!issued.Success)
        {
            await ReleaseClaimAsync(id, cancellationToken);
            return issued;
        }

        using (await _gate.EnterAsync(cancellationToken))
        {
            await using var context = await _contexts.CreateDbContextAsync(cancellationToken);
            await using var transaction = await context.Database.BeginTransactionAsync(cancellationToken);
            var row = await context.Registrations.SingleAsync(r => r.Id == id && r.State == RegistrationState.Approving, cancellationToken);
            (row.State, row.DecidedBy, row.DecidedAt, row.Serial) = (RegistrationState.Issued, officer, _time.GetUtcNow().ToUnixTimeMilliseconds(), issued.Value!.Serial);
            row.Version++;
            if (row.ServerKey)
            {
                var key = await context.SignerKeys.SingleAsync(k => k.Id == id, cancellationToken);
                key.Serial = issued.Value.Serial;
                key.Version++;
            }
            else if (row.Replaces is not null && await context.SignerKeys.SingleOrDefaultAsync(k => k.Serial == row.Replaces, cancellationToken) is { } renewed
                && renewed.PublicKey.AsSpan().SequenceEqual(publicKey))
            {
                // Note: a renewal keeps the key; the wrapped key now serves the new certificate.
                renewed.Serial = issued.Value.Serial;
                renewed.Version++;
            }

            await LedgerChain.AppendAsync(context, _time.GetUtcNow(), "registration-approved", officer, id.ToString(), new Dictionary<string, string?>
            {
                ["serial"] = issued.Value.Serial,
                ["subject"] = row.SubjectId,
            }, cancellationToken);
            await context.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        if (record.Replaces is { } superseded)
        {
            await _authority.RevokeAsync(superseded, RevocationReason.Superseded, officer, cancellationToken);
        }

        return issued;
    }

    private async Task ReleaseClaimAsync(Guid id, CancellationToken cancellationToken)
    {
        using var writing = await _gate.EnterAsync(cancellationToken);
        await using var context = await _contexts.CreateDbContextAsync(cancellationToken);
        var row = await context.Registrations.SingleAsync(r => r.Id == id, cancellationToken);
        (row.State, row.DecidedBy) = (RegistrationState.Pending, null);
        row.Version++;
        await context.SaveChangesAsync(cancellationToken);
    }

    /// <summary>Rejects a pending request with a reason the official sees.</summary>
    public async Task<PkiResult<RegistrationInfo>> RejectAsync(Guid id, string officer, string reason, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        using var writing = await _gate.EnterAsync(cancellationToken);
        await using var context = await _contexts.CreateDbContextAsync(cancellationToken);
        await using var transaction = await context.Database.BeginTransactionAsync(cancellationToken);
        var row = await context.Registrations.SingleOrDefaultAsync(r => r.Id == id, cancellationToken);
        if (row is not { State: RegistrationState.Pending })
        {
            return PkiResult<RegistrationInfo>.Fail(PkiErrors.UnknownRequest, $"no pending certificate request {id}");
        }

        (row.State, row.DecidedBy, row.DecidedAt, row.Note) = (RegistrationState.Rejected, officer, _time.GetUtcNow().ToUnixTimeMilliseconds(), reason.Trim()[..Math.Min(reason.Trim().Length, 1024)]);
        row.Version++;
        if (row.ServerKey && await context.SignerKeys.SingleOrDefaultAsync(k => k.Id == id, cancellationToken) is { } key)
        {
            // Note: a key for a certificate that will never exist is destroyed, not kept.
            context.SignerKeys.Remove(key);
        }

        await LedgerChain.AppendAsync(context, _time.GetUtcNow(), "registration-rejected", officer, id.ToString(), new Dictionary<string, string?>
        {
            ["subject"] = row.SubjectId,
            ["reason"] = row.Note,
        }, cancellationToken);
        await context.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return PkiResult<RegistrationInfo>.Ok(Describe(row, JsonSerializer.Deserialize<SubjectInfo>(row.SubjectJson)?.Name ?? string.Empty));
    }

    /// <summary>One request, or null.</summary>
    public async Task<RegistrationInfo?> FindAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await using var context = await _contexts.CreateDbContextAsync(cancellationToken);
        var row = await context.Registrations.AsNoTracking().SingleOrDefaultAsync(r => r.Id == id, cancellationToken);
        return row is null ? null : Describe(row, JsonSerializer.Deserialize<SubjectInfo>(row.SubjectJson)?.Name ?? string.Empty);
    }

    /// <summary>Requests, newest first, optionally of one state and one OPD.</summary>
    public async Task<IReadOnlyList<RegistrationInfo>> ListAsync(RegistrationState? state = null, string? opd = null, CancellationToken cancellationToken = default,
        string? subjectId = null)
    {
        await using var context = await _contexts.CreateDbContextAsync(cancellationToken);
        var rows = await context.Registrations.AsNoTracking()
            .Where(r => (state == null || r.State == state) && (opd == null || r.Opd == opd) && (subjectId == null || r.SubjectId == subjectId))
            .OrderByDescending(r => r.RequestedAt)
            .Take(1000)
            .ToListAsync(cancellationToken);
        return [.. rows.Select(r => Describe(r, JsonSerializer.Deserialize<SubjectInfo>(r.SubjectJson)?.Name ?? string.Empty))];
    }

    /// <summary>The official's current signing certificate with a server-held key: the newest one of profile
    /// <c>pejabat-signing</c> that is good and unexpired. Null when there is none.</summary>
    public async Task<IssuedCertificate?> FindSigningCertificateAsync(string nip, CancellationToken cancellationToken = default)
    {
        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        await using var context = await _contexts.CreateDbContextAsync(cancellationToken);
        var withKeys = context.SignerKeys.Where(k => k.Nip == nip && k.Serial != null && k.LockedAt == null).Select(k => k.Serial);
        var record = await context.Certificates.AsNoTracking()
            .Where(c => c.Nip == nip && c.Profile == "pejabat-signing" && c.State == CertificateState.Good && c.NotAfter > now && withKeys.Contains(c.Serial))
            .OrderByDescending(c => c.IssuedAt).FirstOrDefaultAsync(cancellationToken);
        return record is null ? null : new IssuedCertificate(record.Serial, record.Profile, record.Subject, DateTimeOffset.FromUnixTimeMilliseconds(record.NotBefore),
            DateTimeOffset.FromUnixTimeMilliseconds(record.NotAfter), record.Der);
    }

    /// <summary>
    /// Opens the server-generated key of the certificate <paramref name="serial"/> with its owner's passphrase. A
    /// wrong passphrase counts; after <see cref="MaxPassphraseFailures"/> in a row the key is locked for good.
    /// </summary>
    public async Task<PkiResult<ISigningKey>> UnlockSignerKeyAsync(string serial, string passphrase, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(passphrase);
        var parsed = Serials.Parse(serial);
        if (!parsed.Success)
        {
            return parsed.As<ISigningKey>();
        }

        SignerKeyRecord? key;
        await using (var context = await _contexts.CreateDbContextAsync(cancellationToken))
        {
            key = await context.SignerKeys.AsNoTracking().SingleOrDefaultAsync(k => k.Serial == parsed.Value, cancellationToken);
            var certificate = key is null ? null : await context.Certificates.AsNoTracking().SingleOrDefaultAsync(c => c.Serial == key.Serial, cancellationToken);
            if (key is null || certificate is null)
            {
                return PkiResult<ISigningKey>.Fail(PkiErrors.UnknownCertificate, $"no server-held key for certificate {parsed.Value}");
            }

            // Note: the key of a suspended, revoked or expired certificate signs nothing.
            if (certificate.State != CertificateState.Good || certificate.NotAfter <= _time.GetUtcNow().ToUnixTimeMilliseconds())
            {
                return PkiResult<ISigningKey>.Fail(PkiErrors.InvalidTransition, $"certificate {parsed.Value} is suspended, revoked or expired");
            }
        }

        if (key.LockedAt is not null)
        {
            return PkiResult<ISigningKey>.Fail(PkiErrors.SignerKeyLocked, "the key is locked after too many wrong passphrases; ask a pki-officer to re-key");
        }

        // Note: Argon2id runs outside the write gate (it takes a while by design); the counter is updated under it.
        var opened = PassphraseKeyWrap.TryUnwrap(key.Wrapped, passphrase, key.Id, out var pkcs8);
        using var writing = await _gate.EnterAsync(cancellationToken);
        await using var store = await _contexts.CreateDbContextAsync(cancellationToken);
        key = await store.SignerKeys.SingleAsync(k => k.Id == key.Id, cancellationToken);
        if (key.LockedAt is not null)
        {
            CryptographicOperations.ZeroMemory(pkcs8);
            return PkiResult<ISigningKey>.Fail(PkiErrors.SignerKeyLocked, "the key is locked after too many wrong passphrases; ask a pki-officer to re-key");
        }

        if (!opened)
        {
            key.FailedAttempts++;
            key.Version++;
            if (key.FailedAttempts >= MaxPassphraseFailures)
            {
                key.LockedAt = _time.GetUtcNow().ToUnixTimeMilliseconds();
            }

            await LedgerChain.AppendAsync(store, _time.GetUtcNow(), key.LockedAt is null ? "signer-key-wrong-passphrase" : "signer-key-locked", key.Nip, parsed.Value!,
                new Dictionary<string, string?> { ["failures"] = key.FailedAttempts.ToString(System.Globalization.CultureInfo.InvariantCulture) }, cancellationToken);
            await store.SaveChangesAsync(cancellationToken);
            return key.LockedAt is null
                ? PkiResult<ISigningKey>.Fail(PkiErrors.WrongPassphrase, $"wrong passphrase ({MaxPassphraseFailures - key.FailedAttempts} tries left)")
                : PkiResult<ISigningKey>.Fail(PkiErrors.SignerKeyLocked, "wrong passphrase; the key is now locked");
        }

        try
        {
            key.FailedAttempts = 0;
            key.Version++;
            // Note: every use of an official's key is on the record.
            await LedgerChain.AppendAsync(store, _time.GetUtcNow(), "signer-key-unlocked", key.Nip, parsed.Value!, new Dictionary<string, string?>(), cancellationToken);
            await store.SaveChangesAsync(cancellationToken);

            return PkiResult<ISigningKey>.Ok(SoftwareKeys.FromPkcs8("signer-" + parsed.Value, pkcs8)
                ?? throw new SpbeException(PkiErrors.KeyUnavailable, "the signer key is of an unsupported type"));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(pkcs8);
        }
    }

    private static RegistrationInfo Describe(RegistrationRecord r, string name) => new(r.Id, r.Profile, r.SubjectId, r.Opd, name, r.State, r.ServerKey, r.RequestedBy,
        DateTimeOffset.FromUnixTimeMilliseconds(r.RequestedAt), r.DecidedBy, r.Note, r.Serial, r.Replaces);

    [LoggerMessage(EventId = 4150, Level = LogLevel.Information, Message = "Certificate request {Id} for profile {Profile} (OPD {Opd}, {Kind}) recorded")]
    private static partial void LogRequested(ILogger logger, Guid id, string profile, string opd, string kind);
}
