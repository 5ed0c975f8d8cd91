using System.Security.Cryptography;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Cms;
using Org.BouncyCastle.Asn1.Ess;
using Org.BouncyCastle.Cms;
using Org.BouncyCastle.Ocsp;
using Org.BouncyCastle.Tsp;
using Org.BouncyCastle.X509;
using PkcsObjectIdentifiers = Org.BouncyCastle.Asn1.Pkcs.PkcsObjectIdentifiers;

namespace Spbe.Security.Pki.Internal.BouncyCastle;

/// <summary>What a CMS SignedData (a PAdES /Contents or a .p7s) says, as plain values.</summary>
internal sealed record CmsFacts(
    HashAlgorithmName Digest,
    byte[]? MessageDigest,
    byte[] SignedAttributes,
    byte[] SignatureValue,
    string SignatureAlgorithm,
    byte[]? SignerCertificate,
    IReadOnlyList<byte[]> Certificates,
    bool HasSigningCertificateV2,
    bool SigningCertificateMatches,
    bool HasSigningTime,
    byte[]? SignatureTimestamp,
    bool IsTimestampToken);

/// <summary>What an RFC 3161 token says.</summary>
internal sealed record TimestampFacts(DateTimeOffset Time, HashAlgorithmName ImprintAlgorithm, byte[] Imprint, byte[]? TsaCertificate, IReadOnlyList<byte[]> Certificates, bool SignatureValid);

/// <summary>One certificate's status in an OCSP response.</summary>
internal sealed record OcspFacts(byte[] Serial, byte[] IssuerKeyHash, string Status, DateTimeOffset? RevokedAt, DateTimeOffset ThisUpdate, DateTimeOffset ProducedAt,
    IReadOnlyList<byte[]> ResponderCertificates, Func<byte[], bool> SignedBy);

/// <summary>What a CRL says.</summary>
internal sealed record CrlFacts(byte[] Issuer, DateTimeOffset ThisUpdate, IReadOnlyDictionary<string, DateTimeOffset> Revoked, Func<byte[], bool> SignedBy);

/// <summary>Reads CMS, TSP, OCSP and CRL structures with BouncyCastle and hands back plain values; every parse failure is
/// a <see cref="FormatException"/>.</summary>
internal static class CmsInspector
{
    public static CmsFacts Inspect(byte[] der)
    {
        try
        {
            var signed = new CmsSignedData(der);
            var signers = signed.GetSignerInfos().GetSigners().ToList();
            if (signers.Count != 1)
            {
                throw new FormatException($"the CMS has {signers.Count} signers, not one");
            }

            var signer = signers[0];
            var certificates = signed.GetCertificates().EnumerateMatches(null).ToList();
            var signerCertificate = certificates.FirstOrDefault(c => signer.SignerID.Match(c));
            var attributes = signer.SignedAttributes;
            var messageDigest = attributes?[CmsAttributes.MessageDigest]?.AttrValues[0] is Asn1OctetString digest ? digest.GetOctets() : null;
            var essAttribute = attributes?[PkcsObjectIdentifiers.IdAASigningCertificateV2];
            var matches = false;
            if (essAttribute is not null && signerCertificate is not null)
            {
                var ess = SigningCertificateV2.GetInstance(essAttribute.AttrValues[0]);
                var first = ess.GetCerts()[0];
                var hash = HashOf(first.HashAlgorithm.Algorithm.Id);
                matches = CryptographicOperations.FixedTimeEquals(first.GetCertHash(), CryptographicOperations.HashData(hash, signerCertificate.GetEncoded()));
            }

            var timestamp = signer.UnsignedAttributes?[PkcsObjectIdentifiers.IdAASignatureTimeStampToken]?.AttrValues[0].ToAsn1Object().GetEncoded(Asn1Encodable.Der);
            return new CmsFacts(
                HashOf(signer.DigestAlgorithmID.Algorithm.Id),
                messageDigest,
                signer.GetEncodedSignedAttributes() ?? [],
                signer.GetSignature(),
                signer.SignatureAlgorithm.Algorithm.Id,
                signerCertificate?.GetEncoded(),
                certificates.Select(c => c.GetEncoded()).ToList(),
                essAttribute is not null,
                matches,
                attributes?[CmsAttributes.SigningTime] is not null,
                timestamp,
                signed.SignedContentType.Id == PkcsObjectIdentifiers.IdCTTstInfo.Id);
        }
        catch (Exception ex) when (ex is not FormatException and not OutOfMemoryException)
        {
            throw new FormatException($"not a readable CMS signature ({ex.GetType().Name})", ex);
        }
    }

    public static TimestampFacts InspectTimestamp(byte[] der)
    {
        try
        {
            var token = new TimeStampToken(new CmsSignedData(der));
            var certificates = token.GetCertificates().EnumerateMatches(null).ToList();
            var tsa = certificates.FirstOrDefault(c => token.SignerID.Match(c));
            var valid = false;
            if (tsa is not null)
            {
                try
                {
                    token.Validate(tsa);
                    valid = true;
                }
                catch (Exception ex) when (ex is TspException or TspValidationException or Org.BouncyCastle.Security.Certificates.CertificateException or CmsException)
                {
                    valid = false;
                }
            }

            var info = token.TimeStampInfo;
            return new TimestampFacts(new DateTimeOffset(DateTime.SpecifyKind(info.GenTime, DateTimeKind.Utc)), HashOf(info.MessageImprintAlgOid), info.GetMessageImprintDigest(),
                tsa?.GetEncoded(), certificates.Select(c => c.GetEncoded()).ToList(), valid);
        }
        catch (Exception ex) when (ex is not FormatException and not OutOfMemoryException)
        {
            throw new FormatException($"not a readable timestamp token ({ex.GetType().Name})", ex);
        }
    }

    public static IReadOnlyList<OcspFacts> InspectOcsp(byte[] der)
    {
        try
        {
            var response = new OcspResp(der);
            if (response.Status != OcspRespStatus.Successful || response.GetResponseObject() is not BasicOcspResp basic)
            {
                return [];
            }

            var responders = basic.GetCerts().Select(c => c.GetEncoded()).ToList();
            bool SignedBy(byte[] certificate)
            {
                try
                {
                    return basic.Verify(new X509Certificate(certificate).GetPublicKey());
                }
                catch (Exception ex) when (ex is OcspException or ArgumentException or InvalidCastException)
                {
                    return false;
                }
            }

            return basic.Responses.Select(single =>
            {
                var status = single.GetCertStatus();
                var (text, revokedAt) = status switch
                {
                    null => ("good", (DateTimeOffset?)null),
                    RevokedStatus revoked => ("revoked", new DateTimeOffset(DateTime.SpecifyKind(revoked.RevocationTime, DateTimeKind.Utc))),
                    _ => ("unknown", null),
                };
                return new OcspFacts(single.GetCertID().SerialNumber.ToByteArrayUnsigned(), single.GetCertID().GetIssuerKeyHash(), text, revokedAt,
                    new DateTimeOffset(DateTime.SpecifyKind(single.ThisUpdate, DateTimeKind.Utc)), new DateTimeOffset(DateTime.SpecifyKind(basic.ProducedAt, DateTimeKind.Utc)),
                    responders, SignedBy);
            }).ToList();
        }
        catch (Exception ex) when (ex is not FormatException and not OutOfMemoryException)
        {
            throw new FormatException($"not a readable OCSP response ({ex.GetType().Name})", ex);
        }
    }

    public static CrlFacts InspectCrl(byte[] der)
    {
        try
        {
            var crl = new X509CrlParser().ReadCrl(der) ?? throw new FormatException("not a CRL");
            var revoked = ((IEnumerable<X509CrlEntry>?)crl.GetRevokedCertificates() ?? []).ToDictionary(
                e => Convert.ToHexString(e.SerialNumber.ToByteArrayUnsigned()), e => new DateTimeOffset(DateTime.SpecifyKind(e.RevocationDate, DateTimeKind.Utc)));
            bool SignedBy(byte[] certificate)
            {
                try
                {
                    crl.Verify(new X509Certificate(certificate).GetPublicKey());
                    return true;
                }
                catch (Exception ex) when (ex is Org.BouncyCastle.Security.Certificates.CrlException or Org.BouncyCastle.Security.InvalidKeyException or Org.BouncyCastle.Security.SignatureException or ArgumentException or InvalidCastException)
                {
                    return false;
                }
            }

            return new CrlFacts(crl.IssuerDN.GetEncoded(), new DateTimeOffset(DateTime.SpecifyKind(crl.ThisUpdate, DateTimeKind.Utc)), revoked, SignedBy);
        }
        catch (Exception ex) when (ex is not FormatException and not OutOfMemoryException)
        {
            throw new FormatException($"not a readable CRL ({ex.GetType().Name})", ex);
        }
    }

    /// <summary>The hash algorithm of a digest OID (SHA-1 and SHA-2); any other is a <see cref="FormatException"/>.</summary>
    public static HashAlgorithmName HashOf(string oid) => oid switch
    {
        "1.3.14.3.2.26" => HashAlgorithmName.SHA1,
        "2.16.840.1.101.3.4.2.2" => HashAlgorithmName.SHA384,
        "2.16.840.1.101.3.4.2.3" => HashAlgorithmName.SHA512,
        "2.16.840.1.101.3.4.2.1" => HashAlgorithmName.SHA256,
        _ => throw new FormatException($"unsupported digest algorithm {oid}"),
    };
}
