using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Org.BouncyCastle.Asn1.Ocsp;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Ocsp;
using Org.BouncyCastle.Security;
using Spbe.Security.Pki.Authority;
using Spbe.Security.Pki.Internal.BouncyCastle;
using Spbe.Security.Pki.Persistence;

namespace Spbe.Security.Pki.Revocation;

/// <summary>An OCSP answer: always a DER OCSPResponse (errors too, as RFC 6960 wants), plus what to log.</summary>
/// <param name="Body">The DER OCSPResponse.</param>
/// <param name="ErrorCode">A PKI code when the request was refused.</param>
/// <param name="FromCache">Whether it was served pre-signed.</param>
public sealed record OcspAnswer(byte[] Body, string? ErrorCode, bool FromCache);

/// <summary>
/// The OCSP responder (RFC 6960) for certificates of the issuing CA, signing with the delegated OCSP certificate.
/// Answers to requests for one certificate without a nonce are signed once and served from memory until half their
/// validity has passed or a status changes (in this process: at once; in another: when the ledger's head moves, checked
/// twice a second), so the hot path does no private-key operation and no database read. Requests with a nonce get a
/// fresh answer that echoes it.
/// </summary>
public sealed partial class OcspResponder
{
    /// <summary>The largest request accepted (a request for one certificate is about 100 bytes).</summary>
    public const int MaxRequestSize = 8 * 1024;

    private const int MaxCacheEntries = 100_000;
    private static readonly byte[] MalformedAnswer = new OCSPRespGenerator().Generate(OcspRespStatus.MalformedRequest, null).GetEncoded();
    private static readonly byte[] UnauthorizedAnswer = new OCSPRespGenerator().Generate(OcspRespStatus.Unauthorized, null).GetEncoded();
    private static readonly byte[] TryLaterAnswer = new OCSPRespGenerator().Generate(OcspRespStatus.TryLater, null).GetEncoded();
    private static readonly byte[] InternalErrorAnswer = new OCSPRespGenerator().Generate(OcspRespStatus.InternalError, null).GetEncoded();

    private readonly CaHierarchy _hierarchy;
    private readonly IDbContextFactory<PkiStoreContext> _contexts;
    private readonly PkiOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<OcspResponder> _logger;
    private readonly ConcurrentDictionary<string, Cached> _cache = new(StringComparer.Ordinal);
    private long _nextCheck;
    private long _ledgerHead = -1;
    private long _generation;

    internal OcspResponder(CaHierarchy hierarchy, CrlPublisher crls, IDbContextFactory<PkiStoreContext> contexts, IOptions<PkiOptions> options, TimeProvider time,
        StatusSignal signal, ILogger<OcspResponder> logger)
    {
        _hierarchy = hierarchy;
        _contexts = contexts;
        _options = options.Value;
        _time = time;
        _logger = logger;
        crls.Published += (_, _) => Invalidate();
        signal.Changed += (_, _) => Invalidate();
    }

    /// <summary>Answers a DER OCSPRequest.</summary>
    public async ValueTask<OcspAnswer> RespondAsync(ReadOnlyMemory<byte> request, CancellationToken cancellationToken = default)
    {
        if (request.Length == 0 || request.Length > MaxRequestSize)
        {
            return new OcspAnswer(MalformedAnswer, request.Length == 0 ? PkiErrors.OcspMalformed : PkiErrors.TooLarge, false);
        }

        await InvalidateOnOtherWritersAsync(cancellationToken);
        var now = _time.GetUtcNow();
        // Note: keyed by the DER's hash, so that different spellings of one request (base64 with whitespace) share an
        // entry and a key costs the same whatever the request's size.
        var cacheKey = KeyOf(request.Span);
        if (_cache.TryGetValue(cacheKey, out var cached) && now < cached.RefreshAt)
        {
            return new OcspAnswer(cached.Body, null, true);
        }

        // Note: an answer computed while a status changes must not be cached after the change cleared the cache.
        var generation = Interlocked.Read(ref _generation);

        OcspReq parsed;
        Req[] items;
        try
        {
            parsed = new OcspReq(request.ToArray());
            items = parsed.GetRequestList();
        }
        catch (Exception ex) when (ex is IOException or ArgumentException or InvalidCastException or InvalidOperationException or FormatException or OcspException or NullReferenceException or IndexOutOfRangeException)
        {
            return new OcspAnswer(MalformedAnswer, PkiErrors.OcspMalformed, false);
        }

        if (items.Length is 0 or > 20)
        {
            return new OcspAnswer(MalformedAnswer, PkiErrors.OcspMalformed, false);
        }

        CaHierarchy.Snapshot snapshot;
        try
        {
            snapshot = _hierarchy.Current;
        }
        catch (SpbeException)
        {
            return new OcspAnswer(InternalErrorAnswer, PkiErrors.NotInitialized, false);
        }

        if (now.UtcDateTime > snapshot.Ocsp.Certificate.NotAfter)
        {
            // Note: an answer signed with an expired responder certificate fails everywhere; say "try later" instead.
            LogResponderExpired(_logger, snapshot.Ocsp.Certificate.NotAfter);
            return new OcspAnswer(TryLaterAnswer, PkiErrors.KeyUnavailable, false);
        }

        var nonce = parsed.RequestExtensions?.GetExtension(OcspObjectIdentifiers.PkixOcspNonce);
        var statuses = new List<(CertificateID Id, CertificateStatus? Status)>();
        foreach (var item in items)
        {
            var id = item.GetCertID();
            bool ours;
            try
            {
                ours = id.MatchesIssuer(snapshot.Issuing.Certificate);
            }
            catch (Exception ex) when (ex is OcspException or ArgumentException or SecurityUtilityException or InvalidOperationException)
            {
                return new OcspAnswer(MalformedAnswer, PkiErrors.OcspMalformed, false);
            }

            if (!ours)
            {
                // Note: RFC 6960 2.3: "unauthorized" when the responder is not authoritative for the issuer asked about.
                return new OcspAnswer(UnauthorizedAnswer, PkiErrors.OcspMalformed, false);
            }

            var serial = id.SerialNumber.SignValue < 0 ? null : id.SerialNumber.ToString(16);
            statuses.Add((id, await StatusAsync(serial, cancellationToken)));
        }

        var producedAt = CrlPublisher.Truncate(now);
        var nextUpdate = producedAt + _options.OcspValidity;
        var generator = new BasicOcspRespGenerator(new RespID(PublicKeyFactory.CreateKey(snapshot.Ocsp.Certificate.CertificateStructure.SubjectPublicKeyInfo)));
        foreach (var (id, status) in statuses)
        {
            generator.AddResponse(id, status, producedAt.UtcDateTime, nextUpdate.UtcDateTime, null);
        }

        if (nonce is not null)
        {
            generator.SetResponseExtensions(new X509Extensions(new Dictionary<Org.BouncyCastle.Asn1.DerObjectIdentifier, X509Extension>
            {
                [OcspObjectIdentifiers.PkixOcspNonce] = new X509Extension(false, nonce.Value),
            }));
        }

        byte[] body;
        try
        {
            var basic = generator.Generate(new KeySignatureFactory(_hierarchy.Key(CaHierarchy.Ocsp)), [snapshot.Ocsp.Certificate], producedAt.UtcDateTime);
            body = new OCSPRespGenerator().Generate(OcspRespStatus.Successful, basic).GetEncoded();
        }
        catch (Exception ex) when (ex is OcspException or SpbeException or System.Security.Cryptography.CryptographicException)
        {
            LogSigningFailed(_logger, ex);
            return new OcspAnswer(InternalErrorAnswer, PkiErrors.KeyUnavailable, false);
        }

        // Note: only the common shape (one certificate, no nonce, no other extensions: RFC 5019) is kept pre-signed.
        if (nonce is null && statuses.Count == 1 && parsed.RequestExtensions is null && Interlocked.Read(ref _generation) == generation)
        {
            if (_cache.Count >= MaxCacheEntries)
            {
                _cache.Clear();
            }

            _cache[cacheKey] = new Cached(body, producedAt + (_options.OcspValidity / 2));
            if (Interlocked.Read(ref _generation) != generation)
            {
                _cache.TryRemove(cacheKey, out _);
            }
        }

        return new OcspAnswer(body, null, false);
    }

    /// <summary>The pre-signed answer to a DER request, when one is cached and fresh: the fast path for GET, which needs
    /// no parsing. Other processes' status changes are noticed at most half a second late (see
    /// <see cref="RespondAsync"/>, which checks the ledger's head).</summary>
    public bool TryGetCached(ReadOnlySpan<byte> request, out byte[] body)
    {
        if (Environment.TickCount64 < Interlocked.Read(ref _nextCheck)
            && _cache.TryGetValue(KeyOf(request), out var cached) && _time.GetUtcNow() < cached.RefreshAt)
        {
            body = cached.Body;
            return true;
        }

        body = [];
        return false;
    }

    /// <summary>Forgets every pre-signed answer (after a status change in this process).</summary>
    public void Invalidate()
    {
        Interlocked.Increment(ref _generation);
        _cache.Clear();
    }

    private static string KeyOf(ReadOnlySpan<byte> request) => Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData(request));

    private async Task<CertificateStatus?> StatusAsync(string? serial, CancellationToken cancellationToken)
    {
        if (serial is null || serial.Length > 40)
        {
            return new UnknownStatus();
        }

        await using var context = await _contexts.CreateDbContextAsync(cancellationToken);
        var record = await context.Certificates.AsNoTracking()
            .Where(c => c.Serial == serial && c.Ca == CaHierarchy.Issuing)
            .Select(c => new { c.State, c.RevokedAt, c.Reason })
            .SingleOrDefaultAsync(cancellationToken);
        return record switch
        {
            // Note: a serial this CA never issued is "unknown" (RFC 6960 2.2), not "good".
            null => new UnknownStatus(),
            { State: CertificateState.Good } => CertificateStatus.Good,
            _ => new RevokedStatus(DateTimeOffset.FromUnixTimeMilliseconds(record.RevokedAt ?? 0).UtcDateTime, record.Reason ?? 0),
        };
    }

    // Note: every status change (here or in another process: the CLI, a second host) appends to the ledger in its own
    // transaction, so a moved ledger head means answers may be stale. Checked at most twice a second.
    private async ValueTask InvalidateOnOtherWritersAsync(CancellationToken cancellationToken)
    {
        var tick = Environment.TickCount64;
        if (tick < Interlocked.Read(ref _nextCheck))
        {
            return;
        }

        Interlocked.Exchange(ref _nextCheck, tick + 500);
        await using var context = await _contexts.CreateDbContextAsync(cancellationToken);
        var head = await context.Ledger.AsNoTracking().MaxAsync(l => (long?)l.Sequence, cancellationToken) ?? 0;
        if (Interlocked.Exchange(ref _ledgerHead, head) != head)
        {
            Invalidate();
        }
    }

    private sealed record Cached(byte[] Body, DateTimeOffset RefreshAt);

    [LoggerMessage(EventId = 4112, Level = LogLevel.Error, Message = "The OCSP responder certificate expired at {NotAfter}; answering tryLater until it is renewed")]
    private static partial void LogResponderExpired(ILogger logger, DateTime notAfter);

    [LoggerMessage(EventId = 4111, Level = LogLevel.Error, Message = "An OCSP answer could not be signed")]
    private static partial void LogSigningFailed(ILogger logger, Exception exception);
}
