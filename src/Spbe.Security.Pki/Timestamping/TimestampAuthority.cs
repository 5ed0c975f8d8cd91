using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Cmp;
using Org.BouncyCastle.Asn1.Nist;
using Org.BouncyCastle.Cms;
using Org.BouncyCastle.Crypto.Operators;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Tsp;
using Org.BouncyCastle.Utilities.Collections;
using Spbe.Security.Pki.Authority;
using Spbe.Security.Pki.Internal.BouncyCastle;

namespace Spbe.Security.Pki.Timestamping;

/// <summary>A timestamp answer: always a DER TimeStampResp (refusals too), plus what to log.</summary>
/// <param name="Body">The DER TimeStampResp.</param>
/// <param name="ErrorCode">A PKI code when the request was refused.</param>
/// <param name="Serial">The token's serial number when one was granted.</param>
public sealed record TimestampAnswer(byte[] Body, string? ErrorCode, string? Serial);

/// <summary>
/// The RFC 3161 timestamp authority: SHA-256/384/512 message imprints, nonce echoed, the policy OID from
/// configuration, the configured accuracy, the TSA certificate included on request (certReq), request extensions
/// refused, and serial numbers that only ever grow within an instance (microseconds since 1970, bumped past the last
/// one issued) and differ between instances (a random per-process suffix).
/// </summary>
public sealed partial class TimestampAuthority
{
    /// <summary>The largest request accepted (a SHA-512 request with a nonce is under 150 bytes).</summary>
    public const int MaxRequestSize = 8 * 1024;

    private static readonly IList<string> AcceptedAlgorithms = [NistObjectIdentifiers.IdSha256.Id, NistObjectIdentifiers.IdSha384.Id, NistObjectIdentifiers.IdSha512.Id];

    private readonly CaHierarchy _hierarchy;
    private readonly PkiOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<TimestampAuthority> _logger;
    // Note: serials are (microseconds since 1970, strictly increasing here) followed by 24 random bits fixed per process,
    // so that two TSA instances (two hosts on one database) never hand out the same serial.
    private static readonly int InstanceTag = System.Security.Cryptography.RandomNumberGenerator.GetInt32(1 << 24);
    private long _lastSerial;

    internal TimestampAuthority(CaHierarchy hierarchy, IOptions<PkiOptions> options, TimeProvider time, ILogger<TimestampAuthority> logger)
    {
        _hierarchy = hierarchy;
        _options = options.Value;
        _time = time;
        _logger = logger;
    }

    /// <summary>Answers a DER TimeStampReq.</summary>
    public TimestampAnswer Respond(ReadOnlySpan<byte> request)
    {
        if (request.Length == 0 || request.Length > MaxRequestSize)
        {
            return Refuse(PkiFailureInfo.BadDataFormat, request.Length == 0 ? PkiErrors.TsaMalformed : PkiErrors.TooLarge, "the request is empty or too large");
        }

        TimeStampRequest parsed;
        try
        {
            parsed = new TimeStampRequest(request.ToArray());
            _ = parsed.MessageImprintAlgOid;
            _ = parsed.GetMessageImprintDigest();
        }
        catch (Exception ex) when (ex is IOException or ArgumentException or InvalidCastException or InvalidOperationException or FormatException or TspException or NullReferenceException or IndexOutOfRangeException)
        {
            return Refuse(PkiFailureInfo.BadDataFormat, PkiErrors.TsaMalformed, "not a well-formed RFC 3161 request");
        }

        var expectedLength = parsed.MessageImprintAlgOid switch
        {
            var oid when oid == NistObjectIdentifiers.IdSha256.Id => 32,
            var oid when oid == NistObjectIdentifiers.IdSha384.Id => 48,
            var oid when oid == NistObjectIdentifiers.IdSha512.Id => 64,
            _ => 0,
        };
        if (expectedLength == 0 || parsed.GetMessageImprintDigest().Length != expectedLength)
        {
            return Refuse(PkiFailureInfo.BadAlg, PkiErrors.TsaAlgorithmRejected, "only SHA-256, SHA-384 and SHA-512 message imprints are accepted");
        }

        CaHierarchy.Snapshot snapshot;
        try
        {
            snapshot = _hierarchy.Current;
        }
        catch (SpbeException)
        {
            return Refuse(PkiFailureInfo.SystemFailure, PkiErrors.NotInitialized, "the timestamp authority is not set up");
        }

        if (_time.GetUtcNow().UtcDateTime > snapshot.Tsa.Certificate.NotAfter)
        {
            LogSigningFailed(_logger, new InvalidOperationException("the TSA certificate has expired"));
            return Refuse(PkiFailureInfo.SystemFailure, PkiErrors.KeyUnavailable, "the timestamp authority's certificate has expired");
        }

        var serial = NextSerial();
        try
        {
            var signer = new SignerInfoGeneratorBuilder().Build(new KeySignatureFactory(_hierarchy.Key(CaHierarchy.Tsa)), snapshot.Tsa.Certificate);
            var tokens = new TimeStampTokenGenerator(signer, Asn1DigestFactory.Get(NistObjectIdentifiers.IdSha256), new DerObjectIdentifier(_options.TsaPolicyOid), true);
            var accuracy = _options.TsaAccuracy;
            if (accuracy >= TimeSpan.FromSeconds(1))
            {
                tokens.SetAccuracySeconds((int)accuracy.TotalSeconds);
            }
            else
            {
                tokens.SetAccuracyMillis(Math.Max(1, (int)accuracy.TotalMilliseconds));
            }

            // Note: the issuing CA's certificate too, so that a token standing alone (a PDF document timestamp) chains to
            // the root with nothing else at hand.
            tokens.SetCertificates(CollectionUtilities.CreateStore([snapshot.Tsa.Certificate, snapshot.Issuing.Certificate]));
            // Note: no request extensions are accepted (an empty list, not null: null would let any through into the
            // signed token); RFC 3161 2.4.1: such a request is refused with unacceptedExtension.
            var responses = new TimeStampResponseGenerator(tokens, AcceptedAlgorithms, [_options.TsaPolicyOid], new List<string>());
            var response = responses.Generate(parsed, BigInteger.ValueOf(serial).ShiftLeft(24).Add(BigInteger.ValueOf(InstanceTag)), _time.GetUtcNow().UtcDateTime);
            if (response.Status is not (0 or 1))
            {
                // Note: BouncyCastle's own checks (a policy other than ours, extensions we do not know) refused it.
                return new TimestampAnswer(response.GetEncoded(), PkiErrors.TsaMalformed, null);
            }

            return new TimestampAnswer(response.GetEncoded(), null, BigInteger.ValueOf(serial).ShiftLeft(24).Add(BigInteger.ValueOf(InstanceTag)).ToString(16));
        }
        catch (Exception ex) when (ex is TspException or CmsException or SpbeException or System.Security.Cryptography.CryptographicException or ArgumentException)
        {
            LogSigningFailed(_logger, ex);
            return Refuse(PkiFailureInfo.SystemFailure, PkiErrors.KeyUnavailable, "the timestamp could not be signed");
        }
    }

    /// <summary>The next serial: microseconds since 1970, or one more than the last, whichever is larger. Monotonic
    /// within the process and, as long as the clock does not run backwards across a restart, across restarts.</summary>
    private long NextSerial()
    {
        var now = _time.GetUtcNow().ToUnixTimeMilliseconds() * 1000;
        while (true)
        {
            var last = Interlocked.Read(ref _lastSerial);
            var next = Math.Max(now, last + 1);
            if (Interlocked.CompareExchange(ref _lastSerial, next, last) == last)
            {
                return next;
            }
        }
    }

    private static TimestampAnswer Refuse(int failure, string code, string text)
    {
        var response = new Org.BouncyCastle.Asn1.Tsp.TimeStampResp(new PkiStatusInfo((int)PkiStatus.Rejection, new PkiFreeText(text), new PkiFailureInfo(failure)), null);
        return new TimestampAnswer(response.GetEncoded(), code, null);
    }

    [LoggerMessage(EventId = 4120, Level = LogLevel.Error, Message = "A timestamp could not be signed")]
    private static partial void LogSigningFailed(ILogger logger, Exception exception);
}
