using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Spbe.Security.Pki;
using Spbe.Security.Pki.Authority;

namespace Spbe.Security.Cli.Commands.Pki;

/// <summary><c>spbe pki root export|remove|import</c>: taking the root key offline and bringing it back.</summary>
internal static class PkiRootCommand
{
    public static Command Create(CliOutput output) => new("root", "Take the root CA key offline (encrypted export, removal) and bring it back")
    {
        Export(output),
        Remove(output),
        Import(output),
    };

    private static Command Export(CliOutput output)
    {
        var outFile = new Option<FileInfo>("--out") { Description = "Where to write the encrypted key (PKCS#8 PEM)", Required = true };
        var passphrase = new Option<bool>("--passphrase-stdin") { Description = "The passphrase that encrypts it, from stdin", Required = true };
        var command = new Command("export", "Write the root key, encrypted under a passphrase, for offline keeping") { outFile, passphrase };
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var host = await CliHost.OpenAsync(parse.GetRequiredValue(CliOptions.Data), output, cancellationToken);
            var result = await Authority(host).ExportRootKeyAsync(await output.ReadSecretAsync(), PkiCommand.Actor, cancellationToken);
            if (!result.Success)
            {
                output.Fail(result.ErrorCode!, result.Error!);
                return ExitCodes.Failure;
            }

            var target = parse.GetRequiredValue(outFile).FullName;
            await File.WriteAllTextAsync(target, result.Value, cancellationToken);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(target, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }

            output.Out.WriteLine($"root key exported (encrypted) to {target}; keep it offline, then 'spbe pki root remove'");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Remove(CliOutput output)
    {
        var backup = new Option<FileInfo>("--backup") { Description = "The exported key, checked before anything is removed", Required = true };
        var passphrase = new Option<bool>("--passphrase-stdin") { Description = "The backup's passphrase, from stdin", Required = true };
        var command = new Command("remove", "Remove the root key from this host after checking the backup") { backup, passphrase };
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var host = await CliHost.OpenAsync(parse.GetRequiredValue(CliOptions.Data), output, cancellationToken);
            var file = parse.GetRequiredValue(backup);
            if (!file.Exists)
            {
                output.Fail(PkiErrors.KeyUnavailable, $"{file.FullName} does not exist; nothing was removed");
                return ExitCodes.Failure;
            }

            var result = await Authority(host).RemoveRootKeyAsync(await File.ReadAllTextAsync(file.FullName, cancellationToken), await output.ReadSecretAsync(),
                PkiCommand.Actor, cancellationToken);
            if (!result.Success)
            {
                output.Fail(result.ErrorCode!, result.Error!);
                return ExitCodes.Failure;
            }

            output.Out.WriteLine("root key removed from this host; the root CRL was re-issued (valid one year)");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Import(CliOutput output)
    {
        var backup = new Option<FileInfo>("--backup") { Description = "The exported key", Required = true };
        var passphrase = new Option<bool>("--passphrase-stdin") { Description = "The backup's passphrase, from stdin", Required = true };
        var command = new Command("import", "Bring the root key back online from its export") { backup, passphrase };
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var host = await CliHost.OpenAsync(parse.GetRequiredValue(CliOptions.Data), output, cancellationToken);
            var file = parse.GetRequiredValue(backup);
            var result = file.Exists
                ? await Authority(host).ImportRootKeyAsync(await File.ReadAllTextAsync(file.FullName, cancellationToken), await output.ReadSecretAsync(), PkiCommand.Actor, cancellationToken)
                : PkiResult<bool>.Fail(PkiErrors.KeyUnavailable, $"{file.FullName} does not exist");
            if (!result.Success)
            {
                output.Fail(result.ErrorCode!, result.Error!);
                return ExitCodes.Failure;
            }

            output.Out.WriteLine("root key is online again");
            return ExitCodes.Success;
        });
        return command;
    }

    private static CertificateAuthority Authority(Microsoft.Extensions.Hosting.IHost host) => host.Services.GetRequiredService<CertificateAuthority>();
}
