namespace Spbe.Security.Data;

/// <summary>Default values of <see cref="SpbeOptions"/> and the fixed layout of the data directory.</summary>
public static class SpbeDefaults
{
    /// <summary>The default data directory, relative to the current directory.</summary>
    public const string DataDirectory = "data";

    /// <summary>The policies folder name, looked up in the current directory and next to the binaries.</summary>
    public const string PoliciesFolder = "policies";

    /// <summary>The file that marks a directory as an initialised data directory.</summary>
    public const string MarkerFile = "spbe-data.json";
}
