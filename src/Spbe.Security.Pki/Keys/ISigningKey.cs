using System.Security.Cryptography;

namespace Spbe.Security.Pki.Keys;

/// <summary>
/// A private key the CA signs with, wherever it lives (a sealed file, a PKCS#11 token). It never hands out the
/// private key itself.
/// </summary>
public interface ISigningKey : IDisposable
{
    /// <summary>The key's label in its store, e.g. <c>issuing</c>.</summary>
    string Label { get; }

    /// <summary>The key type.</summary>
    KeyAlgorithm Algorithm { get; }

    /// <summary>The public key as a DER SubjectPublicKeyInfo.</summary>
    byte[] ExportSubjectPublicKeyInfo();

    /// <summary>Signs <paramref name="data"/> with <see cref="KeyAlgorithm.SignatureHash"/>, in the encoding X.509 and CMS
    /// use (DER <c>ECDSA-Sig-Value</c>, or PKCS#1 v1.5 for RSA).</summary>
    byte[] SignData(ReadOnlySpan<byte> data);
}

/// <summary>A key held in memory by .NET's crypto (OpenSSL underneath).</summary>
internal sealed class SoftwareSigningKey(string label, KeyAlgorithm algorithm, AsymmetricAlgorithm key) : ISigningKey
{
    public string Label => label;

    public KeyAlgorithm Algorithm => algorithm;

    public byte[] ExportSubjectPublicKeyInfo() => key.ExportSubjectPublicKeyInfo();

    public byte[] SignData(ReadOnlySpan<byte> data) => key switch
    {
        ECDsa ec => ec.SignData(data, algorithm.SignatureHash, DSASignatureFormat.Rfc3279DerSequence),
        RSA rsa => rsa.SignData(data, algorithm.SignatureHash, RSASignaturePadding.Pkcs1),
        _ => throw new InvalidOperationException("unsupported key"),
    };

    public byte[] ExportPkcs8PrivateKey() => key.ExportPkcs8PrivateKey();

    public string ExportEncryptedPem(string passphrase) =>
        key.ExportEncryptedPkcs8PrivateKeyPem(passphrase, new PbeParameters(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, 600_000));

    public void Dispose() => key.Dispose();
}
