namespace Spbe.Security.Data;

/// <summary>
/// The resolved layout of the data directory. Every component asks this type for its paths, so the layout is
/// defined once.
/// </summary>
public sealed class DataDirectory
{
    /// <summary>Creates the layout rooted at <paramref name="root"/> (made absolute).</summary>
    public DataDirectory(string root)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        Root = Path.GetFullPath(root);
    }

    /// <summary>The absolute path of the data directory.</summary>
    public string Root { get; }

    /// <summary>The marker file written on initialisation (<c>spbe-data.json</c>).</summary>
    public string MarkerFile => Path.Combine(Root, SpbeDefaults.MarkerFile);

    /// <summary>Rolling log files.</summary>
    public string LogsDirectory => Path.Combine(Root, "logs");

    /// <summary>Keys at rest (the generated master key, sealed key files).</summary>
    public string KeysDirectory => Path.Combine(Root, "keys");

    /// <summary>The generated master key, used when no key is supplied by configuration.</summary>
    public string GeneratedMasterKeyFile => Path.Combine(KeysDirectory, "master.key");

    /// <summary>The HTTPS listener's certificate and sealed private key.</summary>
    public string TlsDirectory => Path.Combine(Root, "tls");

    /// <summary>The path of the SQLite database of one store, e.g. <c>data/identity.db</c>.</summary>
    public string DatabaseFile(string storeName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(storeName);
        return Path.Combine(Root, storeName + ".db");
    }
}
