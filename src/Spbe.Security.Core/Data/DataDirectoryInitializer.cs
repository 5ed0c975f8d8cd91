using Microsoft.Extensions.Logging;
using Spbe.Security.Keys;
using Spbe.Security.Policies;
using Spbe.Security.Tls;

namespace Spbe.Security.Data;

/// <summary>
/// Makes the data directory ready: validates the policies first (so a bad file changes nothing), then creates what
/// is missing (directories, master key, HTTPS certificate, stores) and keeps what exists. Run by the host at start
/// and by <c>spbe init</c>; idempotent.
/// </summary>
public sealed class DataDirectoryInitializer
{
    private static readonly TimeSpan LockTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan LockRetryInterval = TimeSpan.FromMilliseconds(50);

    private readonly DataDirectory _dataDirectory;
    private readonly MasterKeyProvider _masterKeys;
    private readonly HttpsCertificateStore _httpsCertificates;
    private readonly PolicyValidator _policies;
    private readonly PolicyDirectory _policyDirectory;
    private readonly IEnumerable<IDataStore> _stores;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<DataDirectoryInitializer> _logger;

    /// <summary>Creates the initialiser.</summary>
    public DataDirectoryInitializer(
        DataDirectory dataDirectory,
        MasterKeyProvider masterKeys,
        HttpsCertificateStore httpsCertificates,
        PolicyValidator policies,
        PolicyDirectory policyDirectory,
        IEnumerable<IDataStore> stores,
        TimeProvider timeProvider,
        ILogger<DataDirectoryInitializer> logger)
    {
        _dataDirectory = dataDirectory;
        _masterKeys = masterKeys;
        _httpsCertificates = httpsCertificates;
        _policies = policies;
        _policyDirectory = policyDirectory;
        _stores = stores;
        _timeProvider = timeProvider;
        _logger = logger;
    }

    /// <summary>Initialises the data directory.</summary>
    /// <exception cref="PolicyException">A policy file is invalid; nothing was written.</exception>
    /// <exception cref="SpbeException">The data directory is unusable; nothing existing was overwritten.</exception>
    public async Task<InitializationReport> InitializeAsync(CancellationToken cancellationToken = default)
    {
        var started = _timeProvider.GetTimestamp();
        var steps = new List<InitializationStep>();
        var policySources = _policies.LoadAll();
        steps.Add(InitializationStep.Kept("policies", $"{string.Join(", ", policySources)} valid in {_policyDirectory.Root}"));

        steps.Add(EnsureRoot());
        await using var exclusive = await AcquireLockAsync(cancellationToken);
        var marker = DataDirectoryMarker.Read(_dataDirectory.MarkerFile);

        // Note: sealed files without a marker still belong to some earlier key: never generate a new one over them.
        var hasSealedFiles = Directory.EnumerateFiles(_dataDirectory.Root, "*.sealed", SearchOption.AllDirectories).Any();
        var key = _masterKeys.LoadOrCreate(mayGenerate: marker is null && !hasSealedFiles, out var keyCreated);
        if (marker is not null && !string.Equals(marker.MasterKeyId, key.KeyId, StringComparison.Ordinal))
        {
            throw new SpbeException(DataErrors.SealedFileUnreadable,
                $"the master key in use (key {key.KeyId}) is not the one this data directory was initialised with " +
                $"(key {marker.MasterKeyId}); supply the original key (see runbooks/data-directory.md)");
        }

        var keyItem = _masterKeys.Source == MasterKeySource.GeneratedFile ? Relative(_dataDirectory.GeneratedMasterKeyFile) : "master key";
        steps.Add(keyCreated
            ? InitializationStep.Created(keyItem, $"development master key {key.KeyId}; production must supply its own")
            : InitializationStep.Kept(keyItem, $"key {key.KeyId} from {_masterKeys.Source}"));
        if (_masterKeys.Source == MasterKeySource.GeneratedFile)
        {
            _logger.DevelopmentMasterKey(DataErrors.DevelopmentMasterKey, _dataDirectory.GeneratedMasterKeyFile);
        }

        if (marker is null)
        {
            new DataDirectoryMarker(DataDirectoryMarker.CurrentLayout, _timeProvider.GetUtcNow(), key.KeyId).Write(_dataDirectory.MarkerFile);
            steps.Add(InitializationStep.Created(Relative(_dataDirectory.MarkerFile), $"layout {DataDirectoryMarker.CurrentLayout}"));
        }

        steps.Add(EnsureDirectory(_dataDirectory.LogsDirectory));
        var tls = _httpsCertificates.EnsureCreated();
        steps.Add(tls is null
            ? InitializationStep.Kept(Relative(_httpsCertificates.CertificateFile))
            : InitializationStep.Created(Relative(_httpsCertificates.CertificateFile), tls));

        foreach (var store in _stores)
        {
            steps.AddRange(await store.InitializeAsync(cancellationToken));
        }

        _logger.DataDirectoryReady(_dataDirectory.Root, steps.Count(s => s.Action == InitializationAction.Created),
            (long)_timeProvider.GetElapsedTime(started).TotalMilliseconds);
        return new InitializationReport(_dataDirectory.Root, _masterKeys.Source, steps);
    }

    /// <summary>Serialises initialisation between processes (the host and <c>spbe init</c> on the same directory).</summary>
    private async Task<FileStream> AcquireLockAsync(CancellationToken cancellationToken)
    {
        var path = Path.Combine(_dataDirectory.Root, ".init.lock");
        var deadline = _timeProvider.GetUtcNow() + LockTimeout;
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (_timeProvider.GetUtcNow() < deadline)
            {
                await Task.Delay(LockRetryInterval, _timeProvider, cancellationToken);
            }
            catch (IOException ex)
            {
                throw new SpbeException(DataErrors.Locked,
                    $"another process has been initialising {_dataDirectory.Root} for more than {LockTimeout.TotalSeconds:0} s", ex);
            }
        }
    }

    private InitializationStep EnsureRoot()
    {
        var root = _dataDirectory.Root;
        if (File.Exists(root))
        {
            throw new SpbeException(DataErrors.NotADirectory, $"the data directory {root} is a file, not a directory");
        }

        var existed = Directory.Exists(root);
        try
        {
            Directory.CreateDirectory(root);
            // Note: prove the directory is writable now, not at the first event hours later.
            var probe = Path.Combine(root, $".write-test-{Environment.ProcessId}");
            File.WriteAllBytes(probe, []);
            File.Delete(probe);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new SpbeException(DataErrors.NotWritable, $"the data directory {root} cannot be created or written: {ex.Message}", ex);
        }

        return existed ? InitializationStep.Kept(root) : InitializationStep.Created(root, "data directory");
    }

    private InitializationStep EnsureDirectory(string path)
    {
        if (Directory.Exists(path))
        {
            return InitializationStep.Kept(Relative(path));
        }

        Directory.CreateDirectory(path);
        return InitializationStep.Created(Relative(path));
    }

    private string Relative(string path) =>
        Path.Combine(Path.GetFileName(_dataDirectory.Root), Path.GetRelativePath(_dataDirectory.Root, path)).Replace('\\', '/');
}
