using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Cms;
using Org.BouncyCastle.Asn1.Ess;
using PkcsObjectIdentifiers = Org.BouncyCastle.Asn1.Pkcs.PkcsObjectIdentifiers;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Tsp;
using Spbe.Security.Pki.Keys;
using Spbe.Security.Pki.Timestamping;
using Attribute = Org.BouncyCastle.Asn1.Cms.Attribute;

namespace Spbe.Security.Pki.Internal.BouncyCastle;

/// <summary>
/// Builds detached CMS SignedData for PAdES (ETSI.CAdES.detached) and CAdES: signed attributes contentType,
/// messageDigest and ESS signing-certificate-v2 (no signing-time: PAdES puts the time in /M), the whole chain in
/// <c>certificates</c>, and optionally a signature-time-stamp (B-T) from the TSA. The content digest is computed by
/// the caller with .NET (fast); BouncyCastle only encodes.
/// </summary>
internal static class CmsSignatureBuilder
{
    private static readonly DerObjectIdentifier SignatureTimeStampToken = PkcsObjectIdentifiers.IdAASignatureTimeStampToken;
    private static readonly ConditionalWeakTable<byte[], X509CertificateStructure> Parsed = [];

    /// <summary>The SignedData (as a ContentInfo, DER).</summary>
    /// <param name="contentDigest">The digest of the signed bytes with the key type's hash.</param>
    /// <param name="key">The signer's key.</param>
    /// <param name="chain">The signer's certificate first, then its issuers (DER).</param>
    /// <param name="timestamp">The TSA to stamp the signature value with, or null for B-B.</param>
    public static byte[] Build(byte[] contentDigest, ISigningKey key, IReadOnlyList<byte[]> chain, TimestampAuthority? timestamp)
    {
        var certificates = chain.Select(Structure).ToList();
        var signer = certificates[0];
        var digestAlgorithm = DigestAlgorithm(key.Algorithm.SignatureHash);
        var signedAttributes = new DerSet(new Asn1EncodableVector
        {
            new Attribute(CmsAttributes.ContentType, new DerSet(CmsObjectIdentifiers.Data)),
            new Attribute(CmsAttributes.MessageDigest, new DerSet(new DerOctetString(contentDigest))),
            new Attribute(PkcsObjectIdentifiers.IdAASigningCertificateV2, new DerSet(SigningCertificateV2(chain[0], signer))),
        });
        var signature = key.SignData(signedAttributes.GetEncoded(Asn1Encodable.Der));
        Asn1Set? unsignedAttributes = null;
        if (timestamp is not null)
        {
            var token = Timestamp(timestamp, SHA256.HashData(signature), HashAlgorithmName.SHA256);
            unsignedAttributes = new DerSet(new Attribute(SignatureTimeStampToken, new DerSet(Asn1Object.FromByteArray(token))));
        }

        var signerInfo = new SignerInfo(
            new SignerIdentifier(new IssuerAndSerialNumber(signer.Issuer, signer.SerialNumber)),
            digestAlgorithm,
            signedAttributes,
            KeySignatureFactory.AlgorithmIdentifierOf(key.Algorithm),
            new DerOctetString(signature),
            unsignedAttributes);
        var signedData = new SignedData(
            new DerSet(digestAlgorithm),
            new ContentInfo(CmsObjectIdentifiers.Data, null),
            new DerSet(certificates.Select(c => (Asn1Encodable)c).ToArray()),
            null,
            new DerSet(signerInfo));
        return new ContentInfo(CmsObjectIdentifiers.SignedData, signedData).GetEncoded(Asn1Encodable.Der);
    }

    /// <summary>An RFC 3161 timestamp token (DER ContentInfo) over a digest, from our TSA in-process.</summary>
    public static byte[] Timestamp(TimestampAuthority authority, byte[] digest, HashAlgorithmName hash)
    {
        var generator = new TimeStampRequestGenerator();
        generator.SetCertReq(true);
        var request = generator.Generate(DigestAlgorithm(hash).Algorithm, digest, new BigInteger(1, RandomNumberGenerator.GetBytes(8)));
        var answer = authority.Respond(request.GetEncoded());
        if (answer.ErrorCode is not null)
        {
            throw new SpbeException(answer.ErrorCode, "the timestamp authority refused the request");
        }

        var response = new TimeStampResponse(answer.Body);
        response.Validate(request);
        return response.TimeStampToken?.GetEncoded() ?? throw new SpbeException(PkiErrors.NotInitialized, "the timestamp authority gave no token");
    }

    private static SigningCertificateV2 SigningCertificateV2(byte[] der, X509CertificateStructure signer) =>
        new([new EssCertIDv2(SHA256.HashData(der), new IssuerSerial(new GeneralNames(new GeneralName(signer.Issuer)), signer.SerialNumber))]);

    /// <summary>The certificate's ASN.1 structure; the CA certificates (the same arrays on every signature) are parsed once.</summary>
    private static X509CertificateStructure Structure(byte[] der) => Parsed.GetValue(der, static d => X509CertificateStructure.GetInstance(d));

    /// <summary>The AlgorithmIdentifier of a SHA-2 digest (parameters absent, RFC 5754).</summary>
    public static AlgorithmIdentifier DigestAlgorithm(HashAlgorithmName hash) => new(hash.Name switch
    {
        "SHA256" => new DerObjectIdentifier("2.16.840.1.101.3.4.2.1"),
        "SHA384" => new DerObjectIdentifier("2.16.840.1.101.3.4.2.2"),
        "SHA512" => new DerObjectIdentifier("2.16.840.1.101.3.4.2.3"),
        _ => throw new ArgumentOutOfRangeException(nameof(hash), hash.Name, "not a SHA-2 digest"),
    });
}
