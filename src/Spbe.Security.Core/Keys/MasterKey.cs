using System.Security.Cryptography;
using System.Text;

namespace Spbe.Security.Keys;

/// <summary>
/// The 256-bit key that encrypts keys at rest. Each use derives its own subkey (HKDF-SHA256 over a purpose string),
/// so material sealed for one purpose cannot be opened as another.
/// </summary>
/// <remarks>
/// Sealed format: <c>"SPBK" | version (1) | nonce (12) | ciphertext | tag (16)</c>, AES-256-GCM, with the header
/// and the purpose as associated data. The key itself is never logged; <see cref="KeyId"/> is safe to show.
/// </remarks>
public sealed class MasterKey : IDisposable
{
    /// <summary>The length of a master key in bytes.</summary>
    public const int KeySize = 32;

    private const byte FormatVersion = 1;
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private static ReadOnlySpan<byte> Magic => "SPBK"u8;
    private static int HeaderSize => Magic.Length + 1;

    private readonly byte[] _key;
    private bool _disposed;

    /// <summary>Wraps an existing 32-byte key (copied).</summary>
    public MasterKey(ReadOnlySpan<byte> key)
    {
        if (key.Length != KeySize)
        {
            throw new ArgumentException($"A master key is {KeySize} bytes, not {key.Length}.", nameof(key));
        }

        _key = key.ToArray();
        KeyId = Convert.ToHexStringLower(SHA256.HashData(_key).AsSpan(0, 8));
    }

    /// <summary>A short fingerprint of the key (first 8 bytes of its SHA-256), safe to log and to store.</summary>
    public string KeyId { get; }

    /// <summary>Creates a new random key.</summary>
    public static MasterKey Generate()
    {
        Span<byte> key = stackalloc byte[KeySize];
        RandomNumberGenerator.Fill(key);
        var masterKey = new MasterKey(key);
        CryptographicOperations.ZeroMemory(key);
        return masterKey;
    }

    /// <summary>Encrypts <paramref name="plaintext"/> for <paramref name="purpose"/>.</summary>
    public byte[] Seal(ReadOnlySpan<byte> plaintext, string purpose)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(purpose);
        ObjectDisposedException.ThrowIf(_disposed, this);
        var output = new byte[HeaderSize + NonceSize + plaintext.Length + TagSize];
        Magic.CopyTo(output);
        output[Magic.Length] = FormatVersion;
        var nonce = output.AsSpan(HeaderSize, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        var ciphertext = output.AsSpan(HeaderSize + NonceSize, plaintext.Length);
        var tag = output.AsSpan(HeaderSize + NonceSize + plaintext.Length, TagSize);

        var subkey = DeriveSubkey(purpose);
        try
        {
            using var aes = new AesGcm(subkey, TagSize);
            aes.Encrypt(nonce, plaintext, ciphertext, tag, AssociatedData(purpose));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(subkey);
        }

        return output;
    }

    /// <summary>Decrypts what <see cref="Seal"/> produced for the same purpose.</summary>
    /// <returns><see langword="false"/> when the input is not sealed data, was sealed for another purpose or under
    /// another key, or has been altered.</returns>
    public bool TryUnseal(ReadOnlySpan<byte> sealedData, string purpose, out byte[] plaintext)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(purpose);
        ObjectDisposedException.ThrowIf(_disposed, this);
        plaintext = [];
        if (sealedData.Length < HeaderSize + NonceSize + TagSize
            || !sealedData[..Magic.Length].SequenceEqual(Magic)
            || sealedData[Magic.Length] != FormatVersion)
        {
            return false;
        }

        var bodyLength = sealedData.Length - HeaderSize - NonceSize - TagSize;
        var nonce = sealedData.Slice(HeaderSize, NonceSize);
        var ciphertext = sealedData.Slice(HeaderSize + NonceSize, bodyLength);
        var tag = sealedData.Slice(HeaderSize + NonceSize + bodyLength, TagSize);
        var result = new byte[bodyLength];
        var subkey = DeriveSubkey(purpose);
        try
        {
            using var aes = new AesGcm(subkey, TagSize);
            aes.Decrypt(nonce, ciphertext, tag, result, AssociatedData(purpose));
        }
        catch (AuthenticationTagMismatchException)
        {
            CryptographicOperations.ZeroMemory(result);
            return false;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(subkey);
        }

        plaintext = result;
        return true;
    }

    /// <summary>The key as base64, for writing the key file. Handle the result as a secret.</summary>
    internal string ExportBase64()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return Convert.ToBase64String(_key);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _disposed = true;
        CryptographicOperations.ZeroMemory(_key);
    }

    private byte[] DeriveSubkey(string purpose) =>
        HKDF.DeriveKey(HashAlgorithmName.SHA256, _key, KeySize, salt: [], info: Encoding.UTF8.GetBytes("spbe:" + purpose));

    private static byte[] AssociatedData(string purpose)
    {
        var purposeBytes = Encoding.UTF8.GetBytes(purpose);
        var data = new byte[HeaderSize + purposeBytes.Length];
        Magic.CopyTo(data);
        data[Magic.Length] = FormatVersion;
        purposeBytes.CopyTo(data, HeaderSize);
        return data;
    }
}
