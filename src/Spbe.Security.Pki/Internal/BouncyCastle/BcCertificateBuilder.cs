using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.X509;
using Org.BouncyCastle.X509.Extension;
using Spbe.Security.Pki.Keys;
using Spbe.Security.Pki.Profiles;

namespace Spbe.Security.Pki.Internal.BouncyCastle;

/// <summary>Names and extensions of the certificates this CA makes, and the signed certificate itself.</summary>
internal static class BcCertificateBuilder
{
    private static readonly DerObjectIdentifier OcspNoCheck = new("1.3.6.1.5.5.7.48.1.5");

    /// <summary>One RDN attribute of a subject, in the order given.</summary>
    public static X509Name Name(IEnumerable<(DerObjectIdentifier Type, string Value)> attributes)
    {
        var list = attributes.Where(a => !string.IsNullOrWhiteSpace(a.Value)).ToList();
        return new X509Name(list.Select(a => a.Type).ToList(), list.Select(a => a.Value).ToList(), LiteralValues.Instance);
    }

    /// <summary>Encodes every value literally (BouncyCastle's default reads a leading '#' as hex DER and drops a leading
    /// backslash): PrintableString for country and serialNumber, UTF8String for everything else.</summary>
    private sealed class LiteralValues : X509NameEntryConverter
    {
        public static readonly LiteralValues Instance = new();

        public override Asn1Object GetConvertedValue(DerObjectIdentifier oid, string value) =>
            oid.Equals(X509Name.C) || oid.Equals(X509Name.SerialNumber) ? new DerPrintableString(value) : new DerUtf8String(value);
    }

    /// <summary>Signs a certificate with <paramref name="signer"/>.</summary>
    public static X509Certificate Build(
        BigInteger serial,
        X509Name issuer,
        X509Name subject,
        SubjectPublicKeyInfo publicKey,
        DateTimeOffset notBefore,
        DateTimeOffset notAfter,
        IEnumerable<(DerObjectIdentifier Oid, bool Critical, Asn1Encodable Value)> extensions,
        ISigningKey signer)
    {
        var generator = new X509V3CertificateGenerator();
        generator.SetSerialNumber(serial);
        generator.SetIssuerDN(issuer);
        generator.SetSubjectDN(subject);
        generator.SetNotBefore(notBefore.UtcDateTime);
        generator.SetNotAfter(notAfter.UtcDateTime);
        generator.SetSubjectPublicKeyInfo(publicKey);
        foreach (var (oid, critical, value) in extensions)
        {
            generator.AddExtension(oid, critical, value);
        }

        return generator.Generate(new KeySignatureFactory(signer));
    }

    /// <summary>The extensions of a CA certificate (root: no issuer data; issuing: AKI and where to find the root).</summary>
    public static List<(DerObjectIdentifier, bool, Asn1Encodable)> CaExtensions(SubjectPublicKeyInfo publicKey, X509Certificate? issuer, int pathLength, Uri publicBase, string policyOid)
    {
        var list = new List<(DerObjectIdentifier, bool, Asn1Encodable)>
        {
            (X509Extensions.BasicConstraints, true, new BasicConstraints(pathLength)),
            (X509Extensions.KeyUsage, true, new KeyUsage(KeyUsage.KeyCertSign | KeyUsage.CrlSign)),
            (X509Extensions.SubjectKeyIdentifier, false, X509ExtensionUtilities.CreateSubjectKeyIdentifier(publicKey)),
        };
        if (issuer is not null)
        {
            list.Add((X509Extensions.AuthorityKeyIdentifier, false, BcCertificateBuilder.AuthorityKeyId(issuer)));
            list.Add((X509Extensions.CrlDistributionPoints, false, DistributionPoints(new Uri(publicBase, "pki/crl/root.crl"))));
            list.Add((X509Extensions.AuthorityInfoAccess, false, new AuthorityInformationAccess(
                new AccessDescription(AccessDescription.IdADCAIssuers, Uri(new Uri(publicBase, "pki/ca/root.crt"))))));
            list.Add((X509Extensions.CertificatePolicies, false, new CertificatePolicies(new PolicyInformation(new DerObjectIdentifier(policyOid)))));
        }

        return list;
    }

    /// <summary>The extensions of an end-entity certificate under <paramref name="profile"/>.</summary>
    public static List<(DerObjectIdentifier, bool, Asn1Encodable)> EndEntityExtensions(
        CertificateProfile profile, SubjectPublicKeyInfo publicKey, X509Certificate issuer, string issuerName, Uri publicBase, string policyOid,
        string? email, IReadOnlyList<string> dnsNames)
    {
        var list = new List<(DerObjectIdentifier, bool, Asn1Encodable)>
        {
            (X509Extensions.BasicConstraints, true, new BasicConstraints(false)),
            (X509Extensions.KeyUsage, true, new KeyUsage(profile.KeyUsage.Aggregate(0, (bits, name) => bits | KeyUsageBit(name)))),
            (X509Extensions.SubjectKeyIdentifier, false, X509ExtensionUtilities.CreateSubjectKeyIdentifier(publicKey)),
            (X509Extensions.AuthorityKeyIdentifier, false, BcCertificateBuilder.AuthorityKeyId(issuer)),
        };
        if (profile.ExtendedKeyUsage.Count > 0)
        {
            var purposes = profile.ExtendedKeyUsage.Select(p => new DerObjectIdentifier(ProfileCatalog.ExtendedKeyUsageOids[p])).ToList();
            list.Add((X509Extensions.ExtendedKeyUsage, profile.ExtendedKeyUsageCritical, new ExtendedKeyUsage(purposes)));
        }

        var names = new List<GeneralName>();
        if (!string.IsNullOrEmpty(email))
        {
            names.Add(new GeneralName(GeneralName.Rfc822Name, email));
        }

        names.AddRange(dnsNames.Select(d => new GeneralName(GeneralName.DnsName, d)));
        if (names.Count > 0)
        {
            list.Add((X509Extensions.SubjectAlternativeName, false, new GeneralNames(names.ToArray())));
        }

        list.Add((X509Extensions.CertificatePolicies, false, new CertificatePolicies(new PolicyInformation(new DerObjectIdentifier(policyOid)))));
        list.Add((X509Extensions.CrlDistributionPoints, false, DistributionPoints(new Uri(publicBase, $"pki/crl/{issuerName}.crl"))));
        list.Add((X509Extensions.FreshestCrl, false, DistributionPoints(new Uri(publicBase, $"pki/crl/{issuerName}-delta.crl"))));
        var access = new List<AccessDescription> { new(AccessDescription.IdADCAIssuers, Uri(new Uri(publicBase, $"pki/ca/{issuerName}.crt"))) };
        if (profile.OcspNoCheck)
        {
            list.Add((OcspNoCheck, false, DerNull.Instance));
        }
        else
        {
            access.Insert(0, new AccessDescription(AccessDescription.IdADOcsp, Uri(new Uri(publicBase, "pki/ocsp"))));
        }

        list.Add((X509Extensions.AuthorityInfoAccess, false, new AuthorityInformationAccess(access.ToArray())));
        return list;
    }

    /// <summary>A positive serial of exactly 16 octets (128 bits, 127 of them random): RFC 5280 allows up to 20, and
    /// CA/Browser Forum rules want at least 64 bits of randomness.</summary>
    public static byte[] NewSerial()
    {
        var bytes = RandomNumberGenerator.GetBytes(16);
        bytes[0] = (byte)((bytes[0] & 0x7F) | 0x40);
        return bytes;
    }

    /// <summary>The authorityKeyIdentifier naming <paramref name="issuer"/>'s key by its key identifier only.</summary>
    public static AuthorityKeyIdentifier AuthorityKeyId(X509Certificate issuer) =>
        AuthorityKeyIds.GetValue(issuer, static issuer => X509ExtensionUtilities.CreateAuthorityKeyIdentifier(X509ExtensionUtilities.GetSubjectKeyIdentifier(issuer)
            ?? X509ExtensionUtilities.CreateSubjectKeyIdentifier(issuer.CertificateStructure.SubjectPublicKeyInfo)));

    // Note: parsed once per issuer certificate object, not per issuance (parsing the extension was a tenth of an
    // ECDSA issuance's CPU).
    private static readonly ConditionalWeakTable<X509Certificate, AuthorityKeyIdentifier> AuthorityKeyIds = [];

    private static CrlDistPoint DistributionPoints(Uri address) =>
        new([new DistributionPoint(new DistributionPointName(new GeneralNames(Uri(address))), null, null)]);

    private static GeneralName Uri(Uri address) => new(GeneralName.UniformResourceIdentifier, address.AbsoluteUri);

    private static int KeyUsageBit(string name) => name switch
    {
        "digitalSignature" => KeyUsage.DigitalSignature,
        "nonRepudiation" => KeyUsage.NonRepudiation,
        "keyEncipherment" => KeyUsage.KeyEncipherment,
        "dataEncipherment" => KeyUsage.DataEncipherment,
        "keyAgreement" => KeyUsage.KeyAgreement,
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "not an end-entity key usage"),
    };
}
