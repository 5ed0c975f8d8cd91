using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using Spbe.Security.Data;
using Spbe.Security.Keys;

namespace Spbe.Security.Identity.Server;

/// <summary>
/// The provider's token keys, persisted under <c>data/keys/oidc/</c> and sealed with the master key: the signing keys
/// (ES256 by default, RS256 available) whose public parts are published at the JWKS endpoint, and the symmetric key
/// that encrypts authorization codes and refresh tokens. Created on initialisation, reused on every start.
/// </summary>
/// <remarks>
/// Signing keys rotate (<see cref="SsoOptions.SigningKeyRotation"/>) with overlap on both sides: a new key is
/// published <see cref="PublishAhead"/> before it starts signing (relying parties that cache the JWKS see it first),
/// and a retired key stays published until every token it signed has expired (<see cref="Retention"/>); only then
/// is it moved to <c>retired/</c>. So a <c>kid</c> a relying party has seen never disappears while a token signed
/// with it can still be valid.
/// </remarks>
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

    /// <summary>How long before it signs a new key is already published.</summary>
    public TimeSpan PublishAhead => TimeSpan.FromTicks(Math.Min(TimeSpan.FromDays(1).Ticks, _options.SigningKeyRotation.Ticks / 4));

    /// <summary>How long a key stays published after it stopped signing: the longest lifetime of a token it signed, plus an hour.</summary>
    public TimeSpan Retention => new[] { _options.AccessTokenLifetime, _options.IdentityTokenLifetime, _options.RefreshTokenLifetime, _options.AuthorizationCodeLifetime }
        .Max() + TimeSpan.FromHours(1);

    /// <summary>The published signing credentials: the active key first (it signs new tokens), then the others, newest
    /// first. OpenIddict validates with all of them and signs with the first.</summary>
    public IReadOnlyList<SigningCredentials> SigningCredentials()
    {
        var now = _timeProvider.GetUtcNow();
        var keys = SigningKeys().ToList();
        var active = ActiveKey(keys, now);
        return [.. keys.Where(k => k == active || RetiredAt(k, keys, now) is not { } retired || now - retired < Retention)
            .OrderByDescending(k => k == active)
            .ThenByDescending(k => k.Created)
            .Select(k => LoadSigningKey(k.File))];
    }

    /// <summary>The <c>kid</c> of the key that signs new tokens now.</summary>
    public string? ActiveKeyId() => ActiveKey([.. SigningKeys()], _timeProvider.GetUtcNow())?.Kid;

    /// <summary>
    /// One rotation step: creates the next key when the active one is due (published <see cref="PublishAhead"/> before
    /// it takes over) and moves keys retired for longer than <see cref="Retention"/> to <c>retired/</c>. Returns whether
    /// anything changed on disk.
    /// </summary>
    public bool Rotate()
    {
        var now = _timeProvider.GetUtcNow();
        var keys = SigningKeys().ToList();
        var changed = false;
        var newest = keys.Where(k => k.Algorithm == _options.SigningAlgorithm).MaxBy(k => k.Created);
        if (newest is null || now - newest.Created >= _options.SigningKeyRotation - PublishAhead)
        {
            CreateSigningKey(_options.SigningAlgorithm);
            changed = true;
            keys = [.. SigningKeys()];
        }

        var active = ActiveKey(keys, now);
        foreach (var key in keys.Where(k => k != active && RetiredAt(k, keys, now) is { } retired && now - retired >= Retention))
        {
            var archive = Path.Combine(Directory, "retired");
            System.IO.Directory.CreateDirectory(archive);
            File.Move(key.File, Path.Combine(archive, Path.GetFileName(key.File)), overwrite: true);
            changed = true;
        }

        return changed;
    }

    // Note: the newest key of the configured algorithm that has been published long enough; at first start (or
    // right after an algorithm change) the oldest such key, so that there is always one.
    private SigningKey? ActiveKey(IReadOnlyList<SigningKey> keys, DateTimeOffset now)
    {
        var candidates = keys.Where(k => k.Algorithm == _options.SigningAlgorithm).ToList();
        return candidates.Where(k => now - k.Created >= PublishAhead).MaxBy(k => k.Created) ?? candidates.MinBy(k => k.Created);
    }

    // Note: a key stopped signing when a newer key of the configured algorithm became active; keys of another
    // algorithm stopped when the active one was created. Null while it may still sign.
    private DateTimeOffset? RetiredAt(SigningKey key, IReadOnlyList<SigningKey> keys, DateTimeOffset now)
    {
        var active = ActiveKey(keys, now);
        if (active is null || key == active || key.Created > active.Created)
        {
            return null;
        }

        return key.Algorithm == active.Algorithm
            ? keys.Where(k => k.Algorithm == active.Algorithm && k.Created > key.Created).Min(k => k.Created) + PublishAhead
            : active.Created;
    }

    private IEnumerable<SigningKey> SigningKeys() => SigningKeyFiles().Select(f => new SigningKey(f, CreatedOf(f), AlgorithmOf(f), KidOf(f)));

    private static DateTimeOffset CreatedOf(string file) =>
        DateTimeOffset.ParseExact(Path.GetFileNameWithoutExtension(file).Split('-')[1], "yyyyMMddTHHmmssZ", CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    private sealed record SigningKey(string File, DateTimeOffset Created, string Algorithm, string Kid);

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
