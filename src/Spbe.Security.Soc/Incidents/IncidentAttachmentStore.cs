using System.Security.Cryptography;
using Spbe.Security.Data;
using Spbe.Security.Soc.Incidents.Persistence;

namespace Spbe.Security.Soc.Incidents;

/// <summary>
/// The files attached to incidents, kept by content: <c>data/soc/attachments/ab/abcdef…</c> under their SHA-256, written
/// to a temporary name and moved into place, so a file is either whole or absent and the same evidence is kept once.
/// Files are never executed or rendered by the console: they are downloaded as opaque bytes.
/// </summary>
public sealed class IncidentAttachmentStore
{
    private readonly string _root;

    /// <summary>The store under the data directory.</summary>
    public IncidentAttachmentStore(DataDirectory data)
        : this(Path.Combine((data ?? throw new ArgumentNullException(nameof(data))).Root, "soc", "attachments"))
    {
    }

    /// <summary>The store in <paramref name="root"/>.</summary>
    public IncidentAttachmentStore(string root)
    {
        _root = root;
    }

    /// <summary>Reads <paramref name="content"/> (at most <see cref="IncidentLimits.AttachmentBytes"/>) into the store and
    /// returns its SHA-256 (lowercase hex) and size.</summary>
    public async Task<(string Sha256, long Size)> SaveAsync(Stream content, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        Directory.CreateDirectory(_root);
        var temp = Path.Combine(_root, "." + Guid.NewGuid().ToString("N") + ".tmp");
        try
        {
            long size = 0;
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true))
            {
                var buffer = new byte[81920];
                int read;
                while ((read = await content.ReadAsync(buffer, cancellationToken)) > 0)
                {
                    size += read;
                    if (size > IncidentLimits.AttachmentBytes)
                    {
                        throw new SpbeException(SocErrors.IncidentInvalid, $"an attachment may be at most {IncidentLimits.AttachmentBytes / (1024 * 1024)} MiB");
                    }

                    hash.AppendData(buffer, 0, read);
                    await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                }

                await file.FlushAsync(cancellationToken);
            }

            var sha = Convert.ToHexStringLower(hash.GetHashAndReset());
            var target = PathOf(sha);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            // Note: the same content under the same name: whichever upload moves last, the file is the same.
            File.Move(temp, target, overwrite: true);

            return (sha, size);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }

    /// <summary>Opens the file with <paramref name="sha256"/>, or null when the store does not hold it.</summary>
    public Stream? Open(string sha256)
    {
        ArgumentNullException.ThrowIfNull(sha256);
        if (sha256.Length != 64 || !sha256.All(c => char.IsAsciiDigit(c) || c is >= 'a' and <= 'f'))
        {
            return null;
        }

        var path = PathOf(sha256);
        return File.Exists(path) ? new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true) : null;
    }

    private string PathOf(string sha256) => Path.Combine(_root, sha256[..2], sha256);
}
