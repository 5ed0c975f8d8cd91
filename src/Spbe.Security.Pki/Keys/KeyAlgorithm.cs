using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Spbe.Security.Pki.Keys;

/// <summary>A key type the CA issues for or signs with: ECDSA on P-256 or P-384, RSA with 3072 or 4096 bits.</summary>
/// <param name="Name">The name used in configuration and profiles, e.g. <c>ecdsa-p256</c>.</param>
public sealed record KeyAlgorithm(string Name)
{
    /// <summary>ECDSA on NIST P-256, signing with SHA-256.</summary>
    public static readonly KeyAlgorithm EcdsaP256 = new("ecdsa-p256");

    /// <summary>ECDSA on NIST P-384, signing with SHA-384.</summary>
    public static readonly KeyAlgorithm EcdsaP384 = new("ecdsa-p384");

    /// <summary>RSA 3072 bits, PKCS#1 v1.5 signatures with SHA-256.</summary>
    public static readonly KeyAlgorithm Rsa3072 = new("rsa-3072");

    /// <summary>RSA 4096 bits, PKCS#1 v1.5 signatures with SHA-384.</summary>
    public static readonly KeyAlgorithm Rsa4096 = new("rsa-4096");

    /// <summary>Every supported algorithm.</summary>
    public static IReadOnlyList<KeyAlgorithm> All { get; } = [EcdsaP256, EcdsaP384, Rsa3072, Rsa4096];

    private const string EcOid = "1.2.840.10045.2.1";
    private const string RsaOid = "1.2.840.113549.1.1.1";

    /// <summary>Whether this is an ECDSA key type.</summary>
    public bool IsEcdsa => Name.StartsWith("ecdsa-", StringComparison.Ordinal);

    /// <summary>The hash the CA signs with when this is its key.</summary>
    public HashAlgorithmName SignatureHash => this == EcdsaP256 || this == Rsa3072 ? HashAlgorithmName.SHA256 : HashAlgorithmName.SHA384;

    /// <summary>The RSA modulus size, or 0 for ECDSA.</summary>
    public int RsaBits => this == Rsa3072 ? 3072 : this == Rsa4096 ? 4096 : 0;

    /// <summary>Finds an algorithm by name.</summary>
    public static bool TryParse(string? name, out KeyAlgorithm algorithm)
    {
        algorithm = All.FirstOrDefault(a => string.Equals(a.Name, name?.Trim(), StringComparison.OrdinalIgnoreCase))!;
        return algorithm is not null;
    }

    /// <summary>The algorithm by name.</summary>
    /// <exception cref="ArgumentException">Not a supported algorithm.</exception>
    public static KeyAlgorithm Parse(string name) =>
        TryParse(name, out var algorithm) ? algorithm : throw new ArgumentException($"'{name}' is not one of {string.Join(", ", All.Select(a => a.Name))}.", nameof(name));

    /// <summary>What a public key is, or <see langword="null"/> when it is no supported type (RSA-2048, P-521, Ed25519…).</summary>
    public static KeyAlgorithm? Of(PublicKey publicKey)
    {
        ArgumentNullException.ThrowIfNull(publicKey);
        try
        {
            return OfCore(publicKey);
        }
        catch (Exception ex) when (ex is CryptographicException or PlatformNotSupportedException or NotSupportedException)
        {
            // Note: a damaged or exotic key (an unknown curve OID, bad parameters) is simply not a supported type.
            return null;
        }
    }

    private static KeyAlgorithm? OfCore(PublicKey publicKey)
    {
        switch (publicKey.Oid.Value)
        {
            case EcOid:
                using (var ec = publicKey.GetECDsaPublicKey())
                {
                    var curve = ec?.ExportParameters(false).Curve;
                    return curve?.Oid.Value switch
                    {
                        "1.2.840.10045.3.1.7" => EcdsaP256,
                        "1.3.132.0.34" => EcdsaP384,
                        _ => null,
                    };
                }

            case RsaOid:
                using (var rsa = publicKey.GetRSAPublicKey())
                {
                    return rsa?.KeySize switch
                    {
                        3072 => Rsa3072,
                        4096 => Rsa4096,
                        _ => null,
                    };
                }

            default:
                return null;
        }
    }

    /// <summary>What a DER SubjectPublicKeyInfo is, read from its structure alone (no import into the crypto library,
    /// which costs more than the rest of an issuance); <see langword="null"/> when malformed or unsupported.</summary>
    public static KeyAlgorithm? Of(ReadOnlySpan<byte> subjectPublicKeyInfo)
    {
        try
        {
            var reader = new System.Formats.Asn1.AsnReader(subjectPublicKeyInfo.ToArray(), System.Formats.Asn1.AsnEncodingRules.DER);
            var spki = reader.ReadSequence();
            reader.ThrowIfNotEmpty();
            var algorithm = spki.ReadSequence();
            var oid = algorithm.ReadObjectIdentifier();
            var key = spki.ReadBitString(out var unused);
            spki.ThrowIfNotEmpty();
            if (unused != 0)
            {
                return null;
            }

            if (oid == EcOid)
            {
                var curve = algorithm.ReadObjectIdentifier();
                var (result, pointLength) = curve switch
                {
                    "1.2.840.10045.3.1.7" => (EcdsaP256, 65),
                    "1.3.132.0.34" => (EcdsaP384, 97),
                    _ => ((KeyAlgorithm?)null, 0),
                };
                return result is not null && key.Length == pointLength && key[0] == 0x04 ? result : null;
            }

            if (oid == RsaOid)
            {
                var rsa = new System.Formats.Asn1.AsnReader(key, System.Formats.Asn1.AsnEncodingRules.DER).ReadSequence();
                var modulus = rsa.ReadIntegerBytes().Span;
                _ = rsa.ReadIntegerBytes();
                rsa.ThrowIfNotEmpty();
                var bits = (modulus.TrimStart((byte)0).Length * 8) - System.Numerics.BitOperations.LeadingZeroCount((uint)modulus.TrimStart((byte)0)[0]) + 24;
                return bits switch
                {
                    3072 => Rsa3072,
                    4096 => Rsa4096,
                    _ => null,
                };
            }

            return null;
        }
        catch (Exception ex) when (ex is System.Formats.Asn1.AsnContentException or CryptographicException or IndexOutOfRangeException)
        {
            return null;
        }
    }

    /// <summary>Creates a new software key of this type.</summary>
    public AsymmetricAlgorithm Generate() => IsEcdsa
        ? ECDsa.Create(this == EcdsaP256 ? ECCurve.NamedCurves.nistP256 : ECCurve.NamedCurves.nistP384)
        : RSA.Create(RsaBits);

    /// <inheritdoc />
    public override string ToString() => Name;
}
