using Spbe.Security.Pki.Signing;

namespace Spbe.Security.Cli.Commands.Signing;

/// <summary>Reading the document a signing command works on, with the same refusals for every command.</summary>
internal static class DocumentFiles
{
    /// <summary>The file's bytes, or null after reporting why it cannot be used (missing, too large).</summary>
    public static async Task<byte[]?> ReadAsync(CliOutput output, FileInfo file, CancellationToken cancellationToken)
    {
        if (!file.Exists)
        {
            output.Fail(SigningErrors.DocumentUnreadable, $"{file.FullName} does not exist");
            return null;
        }

        if (file.Length > DocumentVerifier.MaxDocumentSize)
        {
            output.Fail(SigningErrors.DocumentTooLarge, $"{file.FullName} is larger than {DocumentVerifier.MaxDocumentSize / (1024 * 1024)} MiB");
            return null;
        }

        return await File.ReadAllBytesAsync(file.FullName, cancellationToken);
    }
}
