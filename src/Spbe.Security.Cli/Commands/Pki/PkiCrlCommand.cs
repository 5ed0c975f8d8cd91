using System.CommandLine;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Spbe.Security.Pki;
using Spbe.Security.Pki.Authority;

namespace Spbe.Security.Cli.Commands.Pki;

/// <summary><c>spbe pki crl [--json]</c>: publishes the issuing CA's full and delta CRLs now.</summary>
internal static class PkiCrlCommand
{
    public static Command Create(CliOutput output)
    {
        var json = CliOptions.Json();
        var command = new Command("crl", "Publish new CRLs now (full and delta)") { json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var host = await CliHost.OpenAsync(parse.GetRequiredValue(CliOptions.Data), output, cancellationToken);
            var authority = host.Services.GetRequiredService<CertificateAuthority>();
            if (!authority.IsInitialized)
            {
                output.Fail(PkiErrors.NotInitialized, "the CA has not been created yet: run 'spbe pki init'");
                return ExitCodes.Failure;
            }

            var published = await authority.PublishCrlsAsync(PkiCommand.Actor, cancellationToken);
            output.Out.WriteLine(parse.GetValue(json)
                ? JsonSerializer.Serialize(new { ca = published.Ca, full = published.FullNumber, delta = published.DeltaNumber, entries = published.Entries, nextUpdate = published.NextUpdate, file = authority.CrlFile(published.Ca) })
                : $"published CRL {published.FullNumber} ({published.Entries} entries, next update {published.NextUpdate:yyyy-MM-dd HH:mm}Z) and delta {published.DeltaNumber} to {authority.CrlFile(published.Ca)}");
            return ExitCodes.Success;
        });
        return command;
    }
}
