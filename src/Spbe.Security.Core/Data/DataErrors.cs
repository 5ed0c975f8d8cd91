namespace Spbe.Security.Data;

/// <summary>Stable codes for data-directory and master-key failures; runbooks/data-directory.md handles them.</summary>
public static class DataErrors
{
    /// <summary>The data directory path exists but is not a directory.</summary>
    public const string NotADirectory = "DATA-0001";

    /// <summary>The data directory cannot be created or written.</summary>
    public const string NotWritable = "DATA-0002";

    /// <summary>The master key file exists but is malformed.</summary>
    public const string MasterKeyCorrupt = "DATA-0003";

    /// <summary>Sealed material exists but the master key that sealed it is missing.</summary>
    public const string MasterKeyMissing = "DATA-0004";

    /// <summary>A sealed file cannot be opened with the master key (wrong key or tampered file).</summary>
    public const string SealedFileUnreadable = "DATA-0005";

    /// <summary>The configured master key is not 32 bytes of base64.</summary>
    public const string MasterKeyInvalid = "DATA-0006";

    /// <summary>The marker file is unreadable or written by an unknown layout version.</summary>
    public const string MarkerCorrupt = "DATA-0007";

    /// <summary>A store (database) cannot be opened or migrated.</summary>
    public const string StoreUnavailable = "DATA-0008";

    /// <summary>The HTTPS certificate file is damaged.</summary>
    public const string TlsCertificateCorrupt = "DATA-0009";

    /// <summary>Warning, not a failure: the host runs on the development master key generated in the data directory.</summary>
    public const string DevelopmentMasterKey = "DATA-0010";

    /// <summary>Another process holds the data directory's initialisation lock for too long.</summary>
    public const string Locked = "DATA-0011";
}
