using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Spbe.Security.Pki.Keys;

/// <summary>Reads private keys of either supported family (ECDSA, RSA) into .NET's crypto without knowing which one it is.</summary>
internal static class SoftwareKeys
{
    private static readonly Func<AsymmetricAlgorithm>[] Families = [ECDsa.Create, RSA.Create];

    /// <summary>A signing key from a PKCS#8 blob, or <see langword="null"/> when it is no key, or of an unsupported type.</summary>
    public static SoftwareSigningKey? FromPkcs8(string label, ReadOnlySpan<byte> pkcs8)
    {
        foreach (var create in Families)
        {
            var key = create();
            try
            {
                key.ImportPkcs8PrivateKey(pkcs8, out _);
                return Wrap(label, key);
            }
            catch (CryptographicException)
            {
                // Note: not this family; try the next.
                key.Dispose();
            }
        }

        return null;
    }

    /// <summary>A signing key from an encrypted PKCS#8 PEM, or <see langword="null"/> for a wrong passphrase, a PEM that is
    /// no encrypted key, or an unsupported type.</summary>
    public static SoftwareSigningKey? FromEncryptedPem(string label, string pem, string passphrase)
    {
        foreach (var create in Families)
        {
            var key = create();
            try
            {
                key.ImportFromEncryptedPem(pem, passphrase);
                return Wrap(label, key);
            }
            catch (Exception ex) when (ex is CryptographicException or ArgumentException)
            {
                key.Dispose();
            }
        }

        return null;
    }

    private static SoftwareSigningKey? Wrap(string label, AsymmetricAlgorithm key)
    {
        if (KeyAlgorithm.Of(new PublicKey(key)) is { } algorithm)
        {
            return new SoftwareSigningKey(label, algorithm, key);
        }

        key.Dispose();
        return null;
    }
}
