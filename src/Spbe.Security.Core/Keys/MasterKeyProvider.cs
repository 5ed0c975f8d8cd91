using Microsoft.Extensions.Options;
using Spbe.Security.Data;

namespace Spbe.Security.Keys;

/// <summary>
/// Supplies the master key: from configuration, from a configured file, or from the file generated in the data
/// directory. Only <see cref="LoadOrCreate"/> (run by the data-directory initialiser) may generate a key.
/// </summary>
public sealed class MasterKeyProvider : IDisposable
{
    private readonly SpbeOptions _options;
    private readonly DataDirectory _dataDirectory;
    private readonly Lock _gate = new();
    private MasterKey? _key;

    /// <summary>Creates the provider.</summary>
    public MasterKeyProvider(IOptions<SpbeOptions> options, DataDirectory dataDirectory)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _dataDirectory = dataDirectory;
    }

    /// <summary>Where the key comes from, given the current configuration.</summary>
    public MasterKeySource Source =>
        !string.IsNullOrWhiteSpace(_options.MasterKey) ? MasterKeySource.Configuration
        : !string.IsNullOrWhiteSpace(_options.MasterKeyFile) ? MasterKeySource.ConfiguredFile
        : MasterKeySource.GeneratedFile;

    /// <summary>Returns the master key, loading it on first use; never creates one.</summary>
    /// <exception cref="SpbeException">The key is missing or malformed.</exception>
    public MasterKey GetKey()
    {
        lock (_gate)
        {
            return _key ??= Load(allowCreate: false, out _);
        }
    }

    /// <summary>Loads the key, generating the development key file when no key is configured and none exists.</summary>
    /// <param name="mayGenerate">Whether generating is allowed (not when the data directory already holds sealed
    /// material, which the missing key could never open again).</param>
    /// <param name="created">Whether a new key file was written.</param>
    public MasterKey LoadOrCreate(bool mayGenerate, out bool created)
    {
        lock (_gate)
        {
            if (_key is not null)
            {
                created = false;
                return _key;
            }

            _key = Load(mayGenerate, out created);
            return _key;
        }
    }

    private MasterKey Load(bool allowCreate, out bool created)
    {
        created = false;
        switch (Source)
        {
            case MasterKeySource.Configuration:
                return MasterKeyFile.Parse(_options.MasterKey!.Trim(), DataErrors.MasterKeyInvalid, "the Spbe:MasterKey setting");
            case MasterKeySource.ConfiguredFile:
                var configured = Path.GetFullPath(_options.MasterKeyFile!);
                if (!File.Exists(configured))
                {
                    throw new SpbeException(DataErrors.MasterKeyMissing, $"the configured master key file {configured} does not exist");
                }

                return MasterKeyFile.Read(configured);
            default:
                var generated = _dataDirectory.GeneratedMasterKeyFile;
                if (File.Exists(generated))
                {
                    return MasterKeyFile.Read(generated);
                }

                if (!allowCreate)
                {
                    throw new SpbeException(DataErrors.MasterKeyMissing,
                        $"the master key {generated} is missing but this data directory was initialised with one; " +
                        "restore it from backup or configure Spbe:MasterKeyFile (see runbooks/data-directory.md)");
                }

                Directory.CreateDirectory(Path.GetDirectoryName(generated)!);
                var key = MasterKey.Generate();
                MasterKeyFile.Write(generated, key);
                created = true;
                return key;
        }
    }

    /// <inheritdoc />
    public void Dispose() => _key?.Dispose();
}
