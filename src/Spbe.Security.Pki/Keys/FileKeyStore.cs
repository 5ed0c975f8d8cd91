using System.Security.Cryptography;
using Spbe.Security.Data;
using Spbe.Security.Keys;
using Spbe.Security.Pki.Authority;

namespace Spbe.Security.Pki.Keys;

/// <summary>
/// CA keys as PKCS#8 files sealed under the master key (AES-256-GCM, a subkey per label) in
/// <c>data/keys/pki/{label}.sealed</c>. The default store.
/// </summary>
public sealed class FileKeyStore : IKeyStore
{
    private readonly DataDirectory _dataDirectory;
    private readonly MasterKeyProvider _masterKeys;

    /// <summary>Creates the store over the data directory.</summary>
    public FileKeyStore(DataDirectory dataDirectory, MasterKeyProvider masterKeys)
    {
        _dataDirectory = dataDirectory;
        _masterKeys = masterKeys;
    }

    /// <inheritdoc />
    public KeyStoreKind Kind => KeyStoreKind.File;

    private string Folder => Path.Combine(_dataDirectory.KeysDirectory, "pki");

    /// <inheritdoc />
    public bool Exists(string label) => File.Exists(PathOf(label));

    /// <inheritdoc />
    public ISigningKey Generate(string label, KeyAlgorithm algorithm)
    {
        ArgumentNullException.ThrowIfNull(algorithm);
        var path = PathOf(label);
        if (File.Exists(path))
        {
            throw new InvalidOperationException($"a key labelled '{label}' already exists");
        }

        var key = algorithm.Generate();
        var pkcs8 = key.ExportPkcs8PrivateKey();
        try
        {
            Directory.CreateDirectory(Folder);
            var sealedKey = _masterKeys.GetKey().Seal(pkcs8, Purpose(label));
            // Note: CreateNew: two processes initialising at once must not overwrite each other's key.
            using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                file.Write(sealedKey);
                file.Flush(flushToDisk: true);
            }

            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }
        }
        catch
        {
            key.Dispose();
            throw;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(pkcs8);
        }

        return new SoftwareSigningKey(label, algorithm, key);
    }

    /// <inheritdoc />
    public ISigningKey Open(string label)
    {
        var path = PathOf(label);
        byte[] sealedKey;
        try
        {
            sealedKey = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new SpbeException(PkiErrors.KeyUnavailable, $"the CA key '{label}' cannot be read from {path} ({ex.Message.TrimEnd('.')})", ex);
        }

        if (!_masterKeys.GetKey().TryUnseal(sealedKey, Purpose(label), out var pkcs8))
        {
            throw new SpbeException(PkiErrors.KeyUnavailable, $"the CA key '{label}' in {path} is damaged or sealed under another master key");
        }

        try
        {
            return SoftwareKeys.FromPkcs8(label, pkcs8)
                ?? throw new SpbeException(PkiErrors.KeyUnavailable, $"the CA key '{label}' in {path} is not a valid private key of a supported type");
        }
        finally
        {
            CryptographicOperations.ZeroMemory(pkcs8);
        }
    }

    /// <summary>The key as an encrypted PKCS#8 PEM (PBES2: PBKDF2-SHA256, 600,000 rounds, AES-256-CBC), readable by
    /// openssl, for keeping offline.</summary>
    public string ExportEncrypted(string label, string passphrase)
    {
        ArgumentException.ThrowIfNullOrEmpty(passphrase);
        using var key = (SoftwareSigningKey)Open(label);
        return key.ExportEncryptedPem(passphrase);
    }

    /// <summary>Puts back a key from <see cref="ExportEncrypted"/>; <see langword="null"/> when the passphrase is wrong or
    /// the PEM is not an encrypted key.</summary>
    public byte[]? ImportEncrypted(string label, string pem, string passphrase)
    {
        ArgumentException.ThrowIfNullOrEmpty(passphrase);
        using var key = SoftwareKeys.FromEncryptedPem(label, pem, passphrase);
        if (key is null)
        {
            return null;
        }

        var pkcs8 = key.ExportPkcs8PrivateKey();
        try
        {
            Directory.CreateDirectory(Folder);
            CaHierarchyFiles.WriteAtomically(PathOf(label), _masterKeys.GetKey().Seal(pkcs8, Purpose(label)));
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(PathOf(label), UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(pkcs8);
        }

        return key.ExportSubjectPublicKeyInfo();
    }

    /// <summary>Deletes the key file (after it was exported and the export checked).</summary>
    public void Remove(string label) => File.Delete(PathOf(label));

    private string PathOf(string label)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(label);
        if (label.Any(c => !char.IsAsciiLetterOrDigit(c) && c != '-'))
        {
            throw new ArgumentException("a key label is letters, digits and '-'", nameof(label));
        }

        return Path.Combine(Folder, label + ".sealed");
    }

    private static string Purpose(string label) => "pki/ca-key/" + label;
}
