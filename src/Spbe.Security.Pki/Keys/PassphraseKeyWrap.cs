using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Konscious.Security.Cryptography;

namespace Spbe.Security.Pki.Keys;

/// <summary>
/// Wraps a private key under a key derived from its owner's passphrase with Argon2id, so the server that stores it
/// cannot use it alone.
/// </summary>
/// <remarks>
/// Format: <c>"SPBW" | version (1) | memory KiB (4, big-endian) | iterations (4) | parallelism (1) | salt (16) |
/// nonce (12) | ciphertext | tag (16)</c>, AES-256-GCM with the header and the key's id as associated data (a wrapped
/// key cannot be moved to another record). The parameters travel with the key, so they can be raised later.
/// </remarks>
internal static class PassphraseKeyWrap
{
    /// <summary>Argon2id memory cost: 19 MiB (the OWASP minimum for Argon2id with t=2).</summary>
    public const int MemoryKib = 19 * 1024;

    /// <summary>Argon2id passes.</summary>
    public const int Iterations = 2;

    /// <summary>Argon2id lanes.</summary>
    public const int Parallelism = 1;

    /// <summary>The shortest passphrase accepted.</summary>
    public const int MinimumPassphraseLength = 12;

    private const byte Version = 1;
    private const int SaltSize = 16;
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private static readonly byte[] Magic = "SPBW"u8.ToArray();
    private static int HeaderSize => Magic.Length + 1 + 4 + 4 + 1 + SaltSize + NonceSize;

    public static byte[] Wrap(ReadOnlySpan<byte> pkcs8, string passphrase, Guid keyId)
    {
        var output = new byte[HeaderSize + pkcs8.Length + TagSize];
        Magic.CopyTo(output, 0);
        output[4] = Version;
        BinaryPrimitives.WriteInt32BigEndian(output.AsSpan(5), MemoryKib);
        BinaryPrimitives.WriteInt32BigEndian(output.AsSpan(9), Iterations);
        output[13] = Parallelism;
        RandomNumberGenerator.Fill(output.AsSpan(14, SaltSize + NonceSize));
        var key = Derive(passphrase, output.AsSpan(14, SaltSize), MemoryKib, Iterations, Parallelism);
        try
        {
            using var aes = new AesGcm(key, TagSize);
            aes.Encrypt(output.AsSpan(14 + SaltSize, NonceSize), pkcs8, output.AsSpan(HeaderSize, pkcs8.Length), output.AsSpan(HeaderSize + pkcs8.Length, TagSize),
                AssociatedData(output.AsSpan(0, HeaderSize), keyId));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }

        return output;
    }

    /// <summary>Opens a wrapped key; <see langword="false"/> for a wrong passphrase (or a damaged blob).</summary>
    public static bool TryUnwrap(ReadOnlySpan<byte> wrapped, string passphrase, Guid keyId, out byte[] pkcs8)
    {
        pkcs8 = [];
        if (string.IsNullOrEmpty(passphrase) || wrapped.Length < HeaderSize + TagSize || !wrapped[..4].SequenceEqual(Magic) || wrapped[4] != Version)
        {
            return false;
        }

        var memory = BinaryPrimitives.ReadInt32BigEndian(wrapped[5..]);
        var iterations = BinaryPrimitives.ReadInt32BigEndian(wrapped[9..]);
        var parallelism = wrapped[13];
        if (memory is < 8 * 1024 or > 1024 * 1024 || iterations is < 1 or > 20 || parallelism is < 1 or > 16)
        {
            return false;
        }

        var key = Derive(passphrase, wrapped.Slice(14, SaltSize), memory, iterations, parallelism);
        var length = wrapped.Length - HeaderSize - TagSize;
        var result = new byte[length];
        try
        {
            using var aes = new AesGcm(key, TagSize);
            aes.Decrypt(wrapped.Slice(14 + SaltSize, NonceSize), wrapped.Slice(HeaderSize, length), wrapped.Slice(HeaderSize + length, TagSize), result,
                AssociatedData(wrapped[..HeaderSize], keyId));
        }
        catch (AuthenticationTagMismatchException)
        {
            CryptographicOperations.ZeroMemory(result);
            return false;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }

        pkcs8 = result;
        return true;
    }

    private static byte[] Derive(string passphrase, ReadOnlySpan<byte> salt, int memoryKib, int iterations, int parallelism)
    {
        var secret = Encoding.UTF8.GetBytes(passphrase);
        try
        {
            using var argon = new Argon2id(secret) { Salt = salt.ToArray(), MemorySize = memoryKib, Iterations = iterations, DegreeOfParallelism = parallelism };
            return argon.GetBytes(32);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(secret);
        }
    }

    private static byte[] AssociatedData(ReadOnlySpan<byte> header, Guid keyId) => [.. header, .. keyId.ToByteArray()];
}
