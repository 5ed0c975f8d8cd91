using System.CommandLine;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Spbe.Security.Pki;
using Spbe.Security.Pki.Authority;

namespace Spbe.Security.Cli.Commands.Pki;

/// <summary><c>spbe pki revoke --serial HEX --reason R [--json]</c>: revokes or suspends; new CRLs are published at once.</summary>
internal static class PkiRevokeCommand
{
    public static Command Create(CliOutput output)
    {
        var serial = new Option<string>("--serial") { Description = "The certificate's serial number (hex)", Required = true };
        var reason = new Option<string>("--reason") { Description = $"One of {RevocationReasons.AllNames}", Required = true };
        var json = CliOptions.Json();
        var command = new Command("revoke", "Revoke a certificate (certificateHold suspends it)") { serial, reason, json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (!RevocationReasons.TryParse(parse.GetRequiredValue(reason), out var why))
            {
                output.Fail(PkiErrors.InvalidReason, $"'{parse.GetRequiredValue(reason)}' is not a revocation reason (allowed: {RevocationReasons.AllNames})");
                return ExitCodes.Failure;
            }

            using var host = await CliHost.OpenAsync(parse.GetRequiredValue(CliOptions.Data), output, cancellationToken);
            var result = await host.Services.GetRequiredService<CertificateAuthority>().RevokeAsync(parse.GetRequiredValue(serial), why, PkiCommand.Actor, cancellationToken);
            return Report(output, result, parse.GetValue(json));
        });
        return command;
    }

    public static int Report(CliOutput output, PkiResult<CertificateStatusInfo> result, bool json)
    {
        if (!result.Success)
        {
            output.Fail(result.ErrorCode!, result.Error!);
            return ExitCodes.Failure;
        }

        var status = result.Value!;
        var state = status.State.ToString().ToLowerInvariant();
        var reason = status.Reason is { } r ? RevocationReasons.Name(r) : null;
        output.Out.WriteLine(json
            ? JsonSerializer.Serialize(new { serial = status.Serial, state, reason, revokedAt = status.RevokedAt, subject = status.Subject })
            : $"{status.Serial}: {state}{(reason is null ? string.Empty : $" ({reason})")}; CRLs published");
        return ExitCodes.Success;
    }
}
