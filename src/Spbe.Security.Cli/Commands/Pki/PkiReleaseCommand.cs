using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Spbe.Security.Pki.Authority;

namespace Spbe.Security.Cli.Commands.Pki;

/// <summary><c>spbe pki release --serial HEX [--json]</c>: lifts a suspension (certificateHold).</summary>
internal static class PkiReleaseCommand
{
    public static Command Create(CliOutput output)
    {
        var serial = new Option<string>("--serial") { Description = "The certificate's serial number (hex)", Required = true };
        var json = CliOptions.Json();
        var command = new Command("release", "Release a suspended certificate (it is good again)") { serial, json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var host = await CliHost.OpenAsync(parse.GetRequiredValue(CliOptions.Data), output, cancellationToken);
            var result = await host.Services.GetRequiredService<CertificateAuthority>().ReleaseHoldAsync(parse.GetRequiredValue(serial), PkiCommand.Actor, cancellationToken);
            return PkiRevokeCommand.Report(output, result, parse.GetValue(json));
        });
        return command;
    }
}
