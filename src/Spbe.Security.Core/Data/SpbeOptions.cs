using System.ComponentModel.DataAnnotations;

namespace Spbe.Security.Data;

/// <summary>
/// Where the product keeps its state and reads its policies. Bound from the <c>Spbe</c> configuration section.
/// </summary>
public sealed class SpbeOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "Spbe";

    /// <summary>The data directory: SQLite databases, keys, the WAL, logs. Relative paths are resolved against the
    /// current directory.</summary>
    /// <value>The default value is <c>data</c>.</value>
    [Required(AllowEmptyStrings = false)]
    public string DataDirectory { get; set; } = SpbeDefaults.DataDirectory;

    /// <summary>The policies directory (identity/, pki/, soc/). When unset, <c>./policies</c> is used if it exists,
    /// otherwise the copy shipped next to the binaries.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? PoliciesDirectory { get; set; }

    /// <summary>A file holding the master key that encrypts keys at rest. Production supplies its own, outside the
    /// data directory (a mounted secret). When neither this nor <see cref="MasterKey"/> is set, a key is generated in
    /// <c>data/keys/master.key</c> and the host warns on every start.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? MasterKeyFile { get; set; }

    /// <summary>The master key itself, base64 (32 bytes), typically from the environment variable
    /// <c>Spbe__MasterKey</c>. Takes precedence over <see cref="MasterKeyFile"/>.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? MasterKey { get; set; }
}
