using System.CommandLine;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Spbe.Security.Pki;
using Spbe.Security.Pki.Authority;

namespace Spbe.Security.Cli.Commands.Pki;

/// <summary><c>spbe pki status [--json]</c>: the CAs, or one certificate's status with <c>--serial</c>.</summary>
internal static class PkiStatusCommand
{
    public static Command Create(CliOutput output)
    {
        var serial = new Option<string?>("--serial") { Description = "Show this certificate's status instead" };
        var json = CliOptions.Json();
        var command = new Command("status", "Show the CA hierarchy, or a certificate's status") { serial, json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var host = await CliHost.OpenAsync(parse.GetRequiredValue(CliOptions.Data), output, cancellationToken);
            var authority = host.Services.GetRequiredService<CertificateAuthority>();
            if (!authority.IsInitialized)
            {
                output.Fail(PkiErrors.NotInitialized, "the CA has not been created yet: run 'spbe pki init'");
                return ExitCodes.Failure;
            }

            if (parse.GetValue(serial) is { } wanted)
            {
                var parsed = Serials.Parse(wanted);
                var found = parsed.Success ? await authority.FindAsync(parsed.Value!, cancellationToken) : null;
                if (found is null)
                {
                    output.Fail(parsed.Success ? PkiErrors.UnknownCertificate : parsed.ErrorCode!, parsed.Success ? $"no certificate with serial {parsed.Value}" : parsed.Error!);
                    return ExitCodes.Failure;
                }

                var row = new
                {
                    serial = found.Serial, ca = found.Ca, profile = found.Profile, subject = found.Subject,
                    state = found.State.ToString().ToLowerInvariant(), revokedAt = found.RevokedAt,
                    reason = found.Reason is { } reason ? RevocationReasons.Name(reason) : null, notAfter = found.NotAfter,
                };
                output.Out.WriteLine(parse.GetValue(json) ? JsonSerializer.Serialize(row) : $"{row.serial}  {row.state}{(row.reason is null ? string.Empty : $" ({row.reason})")}  {row.profile}  {row.subject}");
                return ExitCodes.Success;
            }

            var cas = authority.Status();
            if (parse.GetValue(json))
            {
                output.Out.WriteLine(JsonSerializer.Serialize(new { cas = cas.Select(Describe) }));
                return ExitCodes.Success;
            }

            foreach (var ca in cas)
            {
                output.Out.WriteLine($"{ca.Name,-8} {ca.Role,-8} {ca.KeyStore,-6} key {(ca.KeyOnline ? "online " : "offline")}  until {ca.NotAfter:yyyy-MM-dd}  {ca.Subject}");
            }

            return ExitCodes.Success;
        });
        return command;
    }

    public static object Describe(CaStatus ca) => new
    {
        name = ca.Name, role = ca.Role, subject = ca.Subject, keyStore = ca.KeyStore, keyOnline = ca.KeyOnline, notAfter = ca.NotAfter, sha256 = ca.Sha256,
    };
}
