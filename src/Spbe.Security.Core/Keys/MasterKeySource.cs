namespace Spbe.Security.Keys;

/// <summary>Where the master key in use came from.</summary>
public enum MasterKeySource
{
    /// <summary>The <c>Spbe:MasterKey</c> setting (usually an environment variable).</summary>
    Configuration,

    /// <summary>The file named by <c>Spbe:MasterKeyFile</c>.</summary>
    ConfiguredFile,

    /// <summary>The key generated in the data directory: acceptable for development only.</summary>
    GeneratedFile,
}
