using System.CommandLine;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Spbe.Security.Pki.Authority;

namespace Spbe.Security.Cli.Commands.Pki;

/// <summary><c>spbe pki init</c>: creates the root CA, the issuing CA, the OCSP and TSA certificates and the first CRLs.</summary>
internal static class PkiInitCommand
{
    public static Command Create(CliOutput output)
    {
        var json = CliOptions.Json();
        var command = new Command("init", "Create the CA hierarchy (keeps what exists)") { json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var host = await CliHost.OpenAsync(parse.GetRequiredValue(CliOptions.Data), output, cancellationToken);
            var authority = host.Services.GetRequiredService<CertificateAuthority>();
            var steps = await output.WithStatusAsync("Creating the CA hierarchy…", () => authority.InitializeAsync(PkiCommand.Actor, cancellationToken));
            if (parse.GetValue(json))
            {
                output.Out.WriteLine(JsonSerializer.Serialize(new
                {
                    steps = steps.Select(s => new { action = s.Action.ToString().ToLowerInvariant(), item = s.Item, detail = s.Detail }),
                    cas = authority.Status().Select(PkiStatusCommand.Describe),
                }));
                return ExitCodes.Success;
            }

            var width = steps.Max(s => s.Item.Length);
            foreach (var step in steps)
            {
                output.Out.WriteLine($"  {step.Action.ToString().ToLowerInvariant(),-8} {step.Item.PadRight(width)}  {step.Detail}".TrimEnd());
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
