using System.Text;
using Spbe.Security.Data;

namespace Spbe.Security.Keys;

/// <summary>Reads and writes the master key file: comment lines and one <c>spbe-master-key-v1:BASE64</c> line.</summary>
internal static class MasterKeyFile
{
    private const string Prefix = "spbe-master-key-v1:";

    public static MasterKey Read(string path)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new SpbeException(DataErrors.MasterKeyCorrupt, $"cannot read the master key file {path}: {ex.Message}", ex);
        }

        var keyLines = lines.Where(l => l.Length > 0 && !l.StartsWith('#')).ToArray();
        if (keyLines.Length != 1 || !keyLines[0].StartsWith(Prefix, StringComparison.Ordinal))
        {
            throw new SpbeException(DataErrors.MasterKeyCorrupt,
                $"the master key file {path} is damaged (expected one '{Prefix}' line); restore it from backup, never regenerate it");
        }

        return Parse(keyLines[0][Prefix.Length..].Trim(), DataErrors.MasterKeyCorrupt, $"the master key file {path}");
    }

    public static MasterKey Parse(string base64, string errorCode, string what)
    {
        var buffer = new byte[MasterKey.KeySize + 3];
        try
        {
            if (!Convert.TryFromBase64String(base64, buffer, out var written) || written != MasterKey.KeySize)
            {
                throw new SpbeException(errorCode, $"{what} does not hold a {MasterKey.KeySize}-byte base64 key");
            }

            return new MasterKey(buffer.AsSpan(0, written));
        }
        finally
        {
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(buffer);
        }
    }

    public static void Write(string path, MasterKey key)
    {
        var text = new StringBuilder()
            .AppendLine("# Spbe.Security master key: it encrypts every key at rest in this data directory.")
            .AppendLine("# Generated for development. Production supplies its own key (Spbe:MasterKeyFile or Spbe__MasterKey).")
            .AppendLine("# Losing it makes the sealed keys unreadable; back it up separately from the data.")
            .Append(Prefix).AppendLine(key.ExportBase64())
            .ToString();

        // Note: create the file with owner-only permissions before any secret byte is written to it.
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using var stream = new FileStream(path, options);
        using var writer = new StreamWriter(stream, new UTF8Encoding(false));
        writer.Write(text);
        writer.Flush();
        stream.Flush(flushToDisk: true);
    }
}
