using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto;
using Spbe.Security.Pki.Keys;

namespace Spbe.Security.Pki.Internal.BouncyCastle;

/// <summary>
/// Lets BouncyCastle's generators (certificates, CRLs, OCSP, timestamps) sign through an <see cref="ISigningKey"/>:
/// BouncyCastle builds and encodes the structure, the private-key operation runs in .NET (or the token).
/// </summary>
internal sealed class KeySignatureFactory(ISigningKey key) : ISignatureFactory
{
    public object AlgorithmDetails { get; } = AlgorithmIdentifierOf(key.Algorithm);

    public IStreamCalculator<IBlockResult> CreateCalculator() => new Calculator(key);

    /// <summary>The signatureAlgorithm an X.509 structure names for this key type.</summary>
    public static AlgorithmIdentifier AlgorithmIdentifierOf(KeyAlgorithm algorithm) => algorithm.Name switch
    {
        "ecdsa-p256" => new AlgorithmIdentifier(new DerObjectIdentifier("1.2.840.10045.4.3.2")),
        "ecdsa-p384" => new AlgorithmIdentifier(new DerObjectIdentifier("1.2.840.10045.4.3.3")),
        "rsa-3072" => new AlgorithmIdentifier(new DerObjectIdentifier("1.2.840.113549.1.1.11"), DerNull.Instance),
        "rsa-4096" => new AlgorithmIdentifier(new DerObjectIdentifier("1.2.840.113549.1.1.12"), DerNull.Instance),
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm.Name, "unsupported key type"),
    };

    private sealed class Calculator(ISigningKey key) : IStreamCalculator<IBlockResult>
    {
        private readonly MemoryStream _buffer = new();

        public Stream Stream => _buffer;

        // Note: BouncyCastle disposes the stream before asking for the result; ToArray still works on a closed
        // MemoryStream (Length and GetBuffer do not).
        public IBlockResult GetResult() => new SimpleBlockResult(key.SignData(_buffer.ToArray()));
    }
}
