using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Spbe.Security.Keys;
using Spbe.Security.Pki.Authority;
using Spbe.Security.Pki.Persistence;

namespace Spbe.Security.Pki.Signing.Naskah;

/// <summary>Where a naskah's workflow stands.</summary>
public enum NaskahState
{
    /// <summary>Waiting for a reviewer's paraf.</summary>
    InReview = 0,

    /// <summary>Every paraf given; waiting for the pejabat's signature.</summary>
    AwaitingSignature = 1,

    /// <summary>Signed by the pejabat and closed with a document timestamp: nothing more is added.</summary>
    Sealed = 2,

    /// <summary>Returned to the drafter by a reviewer or the pejabat; the workflow has ended.</summary>
    Returned = 3,
}

/// <summary>What a step asks of its official.</summary>
public enum NaskahStepKind
{
    /// <summary>An invisible approval signature.</summary>
    Paraf = 0,

    /// <summary>The pejabat's visible signature with the QR stamp.</summary>
    Signature = 1,
}

/// <summary>A step's state.</summary>
public enum NaskahStepState
{
    /// <summary>Not done yet.</summary>
    Pending = 0,

    /// <summary>Signed.</summary>
    Done = 1,

    /// <summary>The official sent the draft back.</summary>
    Returned = 2,
}

/// <summary>A new naskah dinas for the workflow.</summary>
/// <param name="Title">The subject line (perihal).</param>
/// <param name="DrafterNip">Who uploads it.</param>
/// <param name="Opd">The drafter's OPD.</param>
/// <param name="Pdf">The document.</param>
/// <param name="Reviewers">The officials who give their paraf, in order.</param>
/// <param name="SignerNip">The pejabat who signs last.</param>
/// <param name="Anchor">The text the signature stamp goes on (e.g. <c>#ttd#</c>); null puts it at the foot of the last page.</param>
public sealed record NaskahDraft(string Title, string DrafterNip, string Opd, ReadOnlyMemory<byte> Pdf, IReadOnlyList<string> Reviewers, string SignerNip, string? Anchor);

/// <summary>One step as participants see it.</summary>
public sealed record NaskahStepInfo(int Position, string Nip, string? Name, string? Jabatan, NaskahStepKind Kind, NaskahStepState State, DateTimeOffset? At,
    Guid? SignatureId, string? Note);

/// <summary>A naskah as participants see it.</summary>
public sealed record NaskahInfo(Guid Id, string Title, string Opd, string DrafterNip, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, NaskahState State,
    string OriginalSha256, string Sha256, bool ContentHeld, IReadOnlyList<NaskahStepInfo> Steps)
{
    /// <summary>The step waiting to be done, or null when the workflow has ended.</summary>
    public NaskahStepInfo? Current => State is NaskahState.InReview or NaskahState.AwaitingSignature
        ? Steps.FirstOrDefault(s => s.State == NaskahStepState.Pending)
        : null;

    /// <summary>Whether <paramref name="nip"/> drafted it or has a step in it.</summary>
    public bool Involves(string nip) => DrafterNip == nip || Steps.Any(s => s.Nip == nip);
}

/// <summary>
/// The naskah dinas workflow: the drafter uploads, each reviewer gives an invisible paraf in the order set, the pejabat
/// signs with the visible stamp last, and a document timestamp seals it (PAdES B-LTA). Each step is an incremental
/// update, so every earlier signature stays valid. The working copy is held sealed under the master key while the
/// workflow needs it; once finished it stays for <see cref="PkiOptions.SignedDocumentHold"/> (unless
/// <see cref="PkiOptions.KeepSignedDocuments"/>) and then only hashes and signature metadata remain.
/// </summary>
public sealed partial class NaskahWorkflow
{
    /// <summary>The most reviewers one naskah can have.</summary>
    public const int MaxReviewers = 20;

    private const string Purpose = "tte/naskah";
    private static readonly StampPlacement FootOfLastPage = new(StampPlacement.LastPage, 340, 60, SigningService.StampWidth, SigningService.StampHeight);

    private readonly IDbContextFactory<PkiStoreContext> _contexts;
    private readonly SigningService _signing;
    private readonly RegistrationAuthority _registration;
    private readonly MasterKeyProvider _masterKeys;
    private readonly PkiOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<NaskahWorkflow> _logger;

    internal NaskahWorkflow(IDbContextFactory<PkiStoreContext> contexts, SigningService signing, RegistrationAuthority registration, MasterKeyProvider masterKeys,
        IOptions<PkiOptions> options, TimeProvider time, ILogger<NaskahWorkflow> logger)
    {
        _contexts = contexts;
        _signing = signing;
        _registration = registration;
        _masterKeys = masterKeys;
        _options = options.Value;
        _time = time;
        _logger = logger;
    }

    /// <summary>Starts the workflow: checks the document and that every participant can sign, then holds the document.</summary>
    public async Task<PkiResult<NaskahInfo>> CreateAsync(NaskahDraft draft, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(draft);
        var title = (draft.Title ?? string.Empty).Trim();
        if (title.Length is 0 or > 256)
        {
            return Invalid("a title of 1 to 256 characters is needed");
        }

        var participants = draft.Reviewers.Select(r => r.Trim()).Append(draft.SignerNip.Trim()).ToList();
        if (draft.Reviewers.Count > MaxReviewers)
        {
            return Invalid($"at most {MaxReviewers} reviewers");
        }

        if (participants.Any(n => n.Length != 18 || !n.All(char.IsAsciiDigit)))
        {
            return Invalid("every participant is named by an 18-digit NIP");
        }

        if (participants.Distinct(StringComparer.Ordinal).Count() != participants.Count)
        {
            return Invalid("each official takes one step only");
        }

        if (draft.Anchor is { Length: > 64 })
        {
            return Invalid("the anchor text is at most 64 characters");
        }

        var document = SigningService.OpenDocument(draft.Pdf);
        if (!document.Success)
        {
            return document.As<NaskahInfo>();
        }

        var now = _time.GetUtcNow();
        var id = Guid.CreateVersion7(now);
        var steps = new List<NaskahStepRecord>();
        for (var i = 0; i < participants.Count; i++)
        {
            var certificate = await _registration.FindSigningCertificateAsync(participants[i], cancellationToken);
            if (certificate is null)
            {
                return PkiResult<NaskahInfo>.Fail(SigningErrors.NoSigningCertificate, $"{participants[i]} has no valid signing certificate with a key held for them");
            }

            using var parsed = X509CertificateLoader.LoadCertificate(certificate.Der);
            var who = SignerIdentity.Of(parsed);
            steps.Add(new NaskahStepRecord
            {
                Id = Guid.CreateVersion7(now), NaskahId = id, Position = i, Nip = participants[i], Name = Truncate(who.Name, 128), Jabatan = Truncate(who.Jabatan, 128),
                Kind = i == participants.Count - 1 ? NaskahStepKind.Signature : NaskahStepKind.Paraf,
            });
        }

        var hash = Convert.ToHexStringLower(SHA256.HashData(draft.Pdf.Span));
        var record = new NaskahRecord
        {
            Id = id, Title = title, Opd = Truncate(draft.Opd, 32) ?? string.Empty, DrafterNip = draft.DrafterNip, CreatedAt = now.ToUnixTimeMilliseconds(),
            UpdatedAt = now.ToUnixTimeMilliseconds(), State = steps.Count > 1 ? NaskahState.InReview : NaskahState.AwaitingSignature,
            Anchor = string.IsNullOrWhiteSpace(draft.Anchor) ? null : draft.Anchor, OriginalSha256 = hash, Sha256 = hash, Content = Seal(id, draft.Pdf.Span),
        };
        await using (var context = await _contexts.CreateDbContextAsync(cancellationToken))
        {
            context.Naskah.Add(record);
            context.NaskahSteps.AddRange(steps);
            await context.SaveChangesAsync(cancellationToken);
        }

        LogCreated(_logger, id, draft.DrafterNip, steps.Count);
        return PkiResult<NaskahInfo>.Ok(Info(record, steps));
    }

    /// <summary>The naskah with this id if <paramref name="nip"/> drafted it or has a step in it, else null.</summary>
    public async Task<NaskahInfo?> FindAsync(Guid id, string nip, CancellationToken cancellationToken = default)
    {
        await using var context = await _contexts.CreateDbContextAsync(cancellationToken);
        var found = await SummariesAsync(context, context.Naskah.Where(n => n.Id == id), cancellationToken);
        return found.Count == 1 && found[0].Involves(nip) ? found[0] : null;
    }

    /// <summary>The naskah <paramref name="nip"/> drafted or takes part in, newest first.</summary>
    public async Task<IReadOnlyList<NaskahInfo>> ListForAsync(string nip, int limit = 100, CancellationToken cancellationToken = default)
    {
        await using var context = await _contexts.CreateDbContextAsync(cancellationToken);
        var mine = context.NaskahSteps.Where(s => s.Nip == nip).Select(s => s.NaskahId);
        return await SummariesAsync(context, context.Naskah.Where(n => n.DrafterNip == nip || mine.Contains(n.Id))
            .OrderByDescending(n => n.UpdatedAt).Take(Math.Clamp(limit, 1, 500)), cancellationToken);
    }

    /// <summary>The current version of the document for a participant, while it is held.</summary>
    public async Task<PkiResult<byte[]>> ContentAsync(Guid id, string nip, CancellationToken cancellationToken = default)
    {
        await using var context = await _contexts.CreateDbContextAsync(cancellationToken);
        var (record, steps) = await LoadAsync(context, id, tracked: false, cancellationToken);
        if (record is null || !Info(record, steps).Involves(nip))
        {
            return NotFound<byte[]>();
        }

        if (record.Content is null || Expired(record))
        {
            return PkiResult<byte[]>.Fail(SigningErrors.ContentPurged, "the document is no longer held; only its hashes remain");
        }

        return PkiResult<byte[]>.Ok(Unseal(record));
    }

    /// <summary>
    /// Does <paramref name="nip"/>'s step: a paraf (invisible, B-LT) or, for the last step, the signature with the
    /// stamp, sealed with a document timestamp (B-LTA). The passphrase opens the official's key; a wrong one counts
    /// towards its lock and leaves the workflow where it was.
    /// </summary>
    public async Task<PkiResult<NaskahInfo>> SignAsync(Guid id, string nip, string passphrase, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(passphrase);
        await using var context = await _contexts.CreateDbContextAsync(cancellationToken);
        var turn = await TurnAsync(context, id, nip, cancellationToken);
        if (!turn.Success)
        {
            return turn.As<NaskahInfo>();
        }

        var (record, steps, step) = turn.Value;

        if (record.Content is null)
        {
            return PkiResult<NaskahInfo>.Fail(SigningErrors.ContentPurged, "the document is no longer held");
        }

        var document = Unseal(record);
        if (!string.Equals(Convert.ToHexStringLower(SHA256.HashData(document)), record.Sha256, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"The held content of naskah {id} does not match its recorded hash.");
        }

        var final = step.Kind == NaskahStepKind.Signature;
        var request = final
            ? new SignRequest(nip, passphrase, PadesLevel.BLTA, record.Anchor, record.Anchor is null ? FootOfLastPage : null,
                "Penandatanganan naskah dinas: " + record.Title)
            : new SignRequest(nip, passphrase, PadesLevel.BLT, Reason: "Paraf: " + record.Title);
        var signed = await _signing.SignPdfAsync(document, request, cancellationToken);
        if (!signed.Success)
        {
            return signed.As<NaskahInfo>();
        }

        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        (step.State, step.At, step.SignatureId) = (NaskahStepState.Done, now, signed.Value!.DocumentId);
        record.Content = Seal(id, signed.Value.Pdf);
        record.Sha256 = signed.Value.Sha256;
        record.UpdatedAt = now;
        record.Version++;
        record.State = final ? NaskahState.Sealed
            : steps.Any(s => s.State == NaskahStepState.Pending && s.Kind == NaskahStepKind.Paraf) ? NaskahState.InReview : NaskahState.AwaitingSignature;
        if (final)
        {
            Finish(record);
        }

        if (!await TrySaveAsync(context, cancellationToken))
        {
            return PkiResult<NaskahInfo>.Fail(SigningErrors.WorkflowConflict, "the naskah changed while it was being signed; reload it");
        }

        LogStep(_logger, id, nip, final ? "signed and sealed" : "paraf given");
        return PkiResult<NaskahInfo>.Ok(Info(record, steps));
    }

    /// <summary>Sends the draft back to the drafter: the current official declines with a reason and the workflow ends.</summary>
    public async Task<PkiResult<NaskahInfo>> ReturnAsync(Guid id, string nip, string reason, CancellationToken cancellationToken = default)
    {
        var note = (reason ?? string.Empty).Trim();
        if (note.Length is 0 or > 1024)
        {
            return Invalid("a reason of 1 to 1024 characters is needed");
        }

        await using var context = await _contexts.CreateDbContextAsync(cancellationToken);
        var turn = await TurnAsync(context, id, nip, cancellationToken);
        if (!turn.Success)
        {
            return turn.As<NaskahInfo>();
        }

        var (record, steps, step) = turn.Value;

        (step.State, step.At, step.Note) = (NaskahStepState.Returned, _time.GetUtcNow().ToUnixTimeMilliseconds(), note);
        record.State = NaskahState.Returned;
        record.UpdatedAt = step.At.Value;
        record.Version++;
        Finish(record);
        if (!await TrySaveAsync(context, cancellationToken))
        {
            return PkiResult<NaskahInfo>.Fail(SigningErrors.WorkflowConflict, "the naskah changed meanwhile; reload it");
        }

        LogStep(_logger, id, nip, "returned");
        return PkiResult<NaskahInfo>.Ok(Info(record, steps));
    }

    /// <summary>Drops the content of finished naskah past their download window; returns how many.</summary>
    public async Task<int> PurgeAsync(CancellationToken cancellationToken = default)
    {
        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        await using var context = await _contexts.CreateDbContextAsync(cancellationToken);
        var purged = await context.Naskah.Where(n => n.PurgeAt != null && n.PurgeAt <= now && n.Content != null)
            .ExecuteUpdateAsync(u => u.SetProperty(n => n.Content, (byte[]?)null), cancellationToken);
        if (purged > 0)
        {
            LogPurged(_logger, purged);
        }

        return purged;
    }

    private void Finish(NaskahRecord record)
    {
        if (!_options.KeepSignedDocuments)
        {
            record.PurgeAt = record.UpdatedAt + (long)_options.SignedDocumentHold.TotalMilliseconds;
        }
    }

    private bool Expired(NaskahRecord record) => record.PurgeAt is { } at && at <= _time.GetUtcNow().ToUnixTimeMilliseconds();

    private static async Task<(NaskahRecord? Record, List<NaskahStepRecord> Steps)> LoadAsync(PkiStoreContext context, Guid id, bool tracked, CancellationToken cancellationToken)
    {
        var naskah = tracked ? context.Naskah : context.Naskah.AsNoTracking();
        var record = await naskah.FirstOrDefaultAsync(n => n.Id == id, cancellationToken);
        if (record is null)
        {
            return (null, []);
        }

        var stepQuery = tracked ? context.NaskahSteps : context.NaskahSteps.AsNoTracking();
        return (record, await stepQuery.Where(s => s.NaskahId == id).OrderBy(s => s.Position).ToListAsync(cancellationToken));
    }

    /// <summary>The naskah <paramref name="query"/> selects, with their steps, in its order; the documents themselves are
    /// never loaded (an empty array stands for "held").</summary>
    private static async Task<List<NaskahInfo>> SummariesAsync(PkiStoreContext context, IQueryable<NaskahRecord> query, CancellationToken cancellationToken)
    {
        var rows = await query.AsNoTracking()
            .Select(n => new { n.Id, n.Title, n.Opd, n.DrafterNip, n.CreatedAt, n.UpdatedAt, n.State, n.OriginalSha256, n.Sha256, n.PurgeAt, Held = n.Content != null })
            .ToListAsync(cancellationToken);
        var ids = rows.Select(r => r.Id).ToList();
        var steps = (await context.NaskahSteps.AsNoTracking().Where(s => ids.Contains(s.NaskahId)).ToListAsync(cancellationToken)).ToLookup(s => s.NaskahId);
        return [.. rows.Select(n => Info(new NaskahRecord
        {
            Id = n.Id, Title = n.Title, Opd = n.Opd, DrafterNip = n.DrafterNip, CreatedAt = n.CreatedAt, UpdatedAt = n.UpdatedAt, State = n.State,
            OriginalSha256 = n.OriginalSha256, Sha256 = n.Sha256, PurgeAt = n.PurgeAt, Content = n.Held ? [] : null,
        }, [.. steps[n.Id].OrderBy(s => s.Position)]))];
    }

    /// <summary>The naskah (tracked) and its pending step, if that step is <paramref name="nip"/>'s; else why not.</summary>
    private static async Task<PkiResult<(NaskahRecord Record, List<NaskahStepRecord> Steps, NaskahStepRecord Step)>> TurnAsync(PkiStoreContext context, Guid id,
        string nip, CancellationToken cancellationToken)
    {
        var (record, steps) = await LoadAsync(context, id, tracked: true, cancellationToken);
        if (record is null || !Info(record, steps).Involves(nip))
        {
            return NotFound<(NaskahRecord, List<NaskahStepRecord>, NaskahStepRecord)>();
        }

        if (Info(record, steps).Current is not { } current || current.Nip != nip)
        {
            return PkiResult<(NaskahRecord, List<NaskahStepRecord>, NaskahStepRecord)>.Fail(SigningErrors.NotYourTurn, "the naskah is not waiting for this official");
        }

        return PkiResult<(NaskahRecord, List<NaskahStepRecord>, NaskahStepRecord)>.Ok((record, steps, steps.Single(s => s.Position == current.Position)));
    }

    private static async Task<bool> TrySaveAsync(PkiStoreContext context, CancellationToken cancellationToken)
    {
        try
        {
            await context.SaveChangesAsync(cancellationToken);
            return true;
        }
        catch (DbUpdateConcurrencyException)
        {
            return false;
        }
    }

    private byte[] Seal(Guid id, ReadOnlySpan<byte> content) => _masterKeys.GetKey().Seal(content, $"{Purpose}/{id:N}");

    private byte[] Unseal(NaskahRecord record) => _masterKeys.GetKey().TryUnseal(record.Content, $"{Purpose}/{record.Id:N}", out var plain)
        ? plain
        : throw new InvalidOperationException($"The held content of naskah {record.Id} cannot be opened with this master key.");

    private static NaskahInfo Info(NaskahRecord r, IReadOnlyList<NaskahStepRecord> steps) => new(r.Id, r.Title, r.Opd, r.DrafterNip,
        DateTimeOffset.FromUnixTimeMilliseconds(r.CreatedAt), DateTimeOffset.FromUnixTimeMilliseconds(r.UpdatedAt), r.State, r.OriginalSha256, r.Sha256, r.Content is not null,
        [.. steps.Select(s => new NaskahStepInfo(s.Position, s.Nip, s.Name, s.Jabatan, s.Kind, s.State, s.At is { } at ? DateTimeOffset.FromUnixTimeMilliseconds(at) : null,
            s.SignatureId, s.Note))]);

    private static PkiResult<NaskahInfo> Invalid(string reason) => PkiResult<NaskahInfo>.Fail(SigningErrors.WorkflowInvalid, reason);

    private static PkiResult<T> NotFound<T>() => PkiResult<T>.Fail(SigningErrors.NaskahNotFound, "no such naskah for this official");

    private static string? Truncate(string? text, int length) => text is null || text.Length <= length ? text : text[..length];

    [LoggerMessage(EventId = 4520, Level = LogLevel.Information, Message = "Naskah {Id} created by {Drafter} with {Steps} steps")]
    private static partial void LogCreated(ILogger logger, Guid id, string drafter, int steps);

    [LoggerMessage(EventId = 4521, Level = LogLevel.Information, Message = "Naskah {Id}: {Nip} {Action}")]
    private static partial void LogStep(ILogger logger, Guid id, string nip, string action);

    [LoggerMessage(EventId = 4522, Level = LogLevel.Information, Message = "Purged the content of {Count} finished naskah")]
    private static partial void LogPurged(ILogger logger, int count);
}
