using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using Spbe.Security.Data;
using Spbe.Security.Keys;

namespace Spbe.Security.Identity.Server;

/// <summary>
/// The provider's token keys, persisted under <c>data/keys/oidc/</c> and sealed with the master key: the signing key
/// (ES256 by default, RS256 available) whose public part is published at the JWKS endpoint, and the symmetric key
/// that encrypts authorization codes and refresh tokens. Created on initialisation, reused on every start.
/// </summary>
internal sealed class TokenKeyStore : IDataStore
{
    private const string SigningPurpose = "oidc/signing-key";
    private const string EncryptionPurpose = "oidc/encryption-key";

    private readonly DataDirectory _dataDirectory;
    private readonly MasterKeyProvider _masterKeys;
    private readonly TimeProvider _timeProvider;
    private readonly SsoOptions _options;

    public TokenKeyStore(DataDirectory dataDirectory, MasterKeyProvider masterKeys, TimeProvider timeProvider, IOptions<SsoOptions> options)
    {
        _dataDirectory = dataDirectory;
        _masterKeys = masterKeys;
        _timeProvider = timeProvider;
        _options = options.Value;
    }

    public string Name => "oidc-keys";

    private string Directory => Path.Combine(_dataDirectory.KeysDirectory, "oidc");

    public Task<IReadOnlyList<InitializationStep>> InitializeAsync(CancellationToken cancellationToken = default)
    {
        var steps = new List<InitializationStep>();
        System.IO.Directory.CreateDirectory(Directory);
        var algorithm = _options.SigningAlgorithm;
        if (SigningKeyFiles().Any(f => AlgorithmOf(f) == algorithm))
        {
            steps.Add(InitializationStep.Kept("OIDC signing key", algorithm));
        }
        else
        {
            var kid = CreateSigningKey(algorithm);
            steps.Add(InitializationStep.Created("OIDC signing key", $"{algorithm}, kid {kid}"));
        }

        if (EncryptionKeyFiles().Any())
        {
            steps.Add(InitializationStep.Kept("OIDC token encryption key"));
        }
        else
        {
            CreateEncryptionKey();
            steps.Add(InitializationStep.Created("OIDC token encryption key", "AES-256"));
        }

        return Task.FromResult<IReadOnlyList<InitializationStep>>(steps);
    }

    public Task<string?> CheckAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            return Task.FromResult(SigningCredentials().Count > 0 && EncryptionCredentials().Count > 0 ? null : "no OIDC token keys");
        }
        catch (SpbeException ex)
        {
            return Task.FromResult<string?>(ex.Message);
        }
    }

    /// <summary>The signing credentials, the current algorithm's newest key first (it signs new tokens).</summary>
    public IReadOnlyList<SigningCredentials> SigningCredentials() =>
        [.. SigningKeyFiles()
            .OrderByDescending(f => AlgorithmOf(f) == _options.SigningAlgorithm)
            .ThenByDescending(Path.GetFileName, StringComparer.Ordinal)
            .Select(LoadSigningKey)];

    /// <summary>The token encryption credentials, newest first.</summary>
    public IReadOnlyList<EncryptingCredentials> EncryptionCredentials() =>
        [.. EncryptionKeyFiles().OrderByDescending(Path.GetFileName, StringComparer.Ordinal).Select(LoadEncryptionKey)];

    private IEnumerable<string> SigningKeyFiles() =>
        System.IO.Directory.Exists(Directory) ? System.IO.Directory.EnumerateFiles(Directory, "sign-*.sealed") : [];

    private IEnumerable<string> EncryptionKeyFiles() =>
        System.IO.Directory.Exists(Directory) ? System.IO.Directory.EnumerateFiles(Directory, "enc-*.sealed") : [];

    // File names: sign-{created}-{alg}-{kid}.sealed and enc-{created}-{kid}.sealed
    private static string AlgorithmOf(string file) => Path.GetFileNameWithoutExtension(file).Split('-')[2];

    private static string KidOf(string file) => Path.GetFileNameWithoutExtension(file).Split('-')[^1];

    private string Stamp() => _timeProvider.GetUtcNow().ToString("yyyyMMddTHHmmssZ", CultureInfo.InvariantCulture);

    private string CreateSigningKey(string algorithm)
    {
        using AsymmetricAlgorithm key = algorithm == SecurityAlgorithms.RsaSha256 ? RSA.Create(3072) : ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var kid = Convert.ToHexStringLower(SHA256.HashData(key.ExportSubjectPublicKeyInfo()).AsSpan(0, 8));
        var pkcs8 = key.ExportPkcs8PrivateKey();
        try
        {
            Write($"sign-{Stamp()}-{algorithm}-{kid}.sealed", _masterKeys.GetKey().Seal(pkcs8, SigningPurpose));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(pkcs8);
        }

        return kid;
    }

    private void CreateEncryptionKey()
    {
        var key = RandomNumberGenerator.GetBytes(32);
        try
        {
            var kid = Convert.ToHexStringLower(SHA256.HashData(key).AsSpan(0, 8));
            Write($"enc-{Stamp()}-{kid}.sealed", _masterKeys.GetKey().Seal(key, EncryptionPurpose));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    private SigningCredentials LoadSigningKey(string file)
    {
        var pkcs8 = Unseal(file, SigningPurpose);
        try
        {
            var algorithm = AlgorithmOf(file);
            if (algorithm == SecurityAlgorithms.RsaSha256)
            {
                var rsa = RSA.Create();
                rsa.ImportPkcs8PrivateKey(pkcs8, out _);
                return new SigningCredentials(new RsaSecurityKey(rsa) { KeyId = KidOf(file) }, SecurityAlgorithms.RsaSha256);
            }

            var ecdsa = ECDsa.Create();
            ecdsa.ImportPkcs8PrivateKey(pkcs8, out _);
            return new SigningCredentials(new ECDsaSecurityKey(ecdsa) { KeyId = KidOf(file) }, SecurityAlgorithms.EcdsaSha256);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(pkcs8);
        }
    }

    private EncryptingCredentials LoadEncryptionKey(string file) =>
        new(new SymmetricSecurityKey(Unseal(file, EncryptionPurpose)) { KeyId = KidOf(file) },
            SecurityAlgorithms.Aes256KW, SecurityAlgorithms.Aes256CbcHmacSha512);

    private byte[] Unseal(string file, string purpose) =>
        _masterKeys.GetKey().TryUnseal(File.ReadAllBytes(file), purpose, out var plaintext)
            ? plaintext
            : throw new SpbeException(DataErrors.SealedFileUnreadable, $"{file} does not open with the current master key");

    private void Write(string name, byte[] content)
    {
        var path = Path.Combine(Directory, name);
        File.WriteAllBytes(path + ".tmp", content);
        File.Move(path + ".tmp", path);
    }
}
