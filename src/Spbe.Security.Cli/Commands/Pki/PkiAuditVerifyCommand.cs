using System.CommandLine;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Spbe.Security.Pki;
using Spbe.Security.Pki.Ledger;

namespace Spbe.Security.Cli.Commands.Pki;

/// <summary><c>spbe pki audit verify [--json]</c>: checks the ledger's hash chain; exit code 1 when it is broken.</summary>
internal static class PkiAuditVerifyCommand
{
    public static Command Create(CliOutput output)
    {
        var json = CliOptions.Json();
        var command = new Command("verify", "Check that no ledger entry was altered, removed or inserted") { json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var host = await CliHost.OpenAsync(parse.GetRequiredValue(CliOptions.Data), output, cancellationToken);
            var result = await host.Services.GetRequiredService<LedgerVerifier>().VerifyAsync(cancellationToken);
            if (parse.GetValue(json))
            {
                output.Out.WriteLine(JsonSerializer.Serialize(new { valid = result.Valid, entries = result.Entries, brokenAt = result.BrokenAt, reason = result.Reason, head = result.Head }));
            }
            else if (result.Valid)
            {
                output.Out.WriteLine($"ledger intact: {result.Entries} entries, head {result.Head}");
            }

            if (!result.Valid)
            {
                output.Fail(PkiErrors.LedgerBroken, $"the ledger is broken at entry {result.BrokenAt}: {result.Reason}");
                return ExitCodes.Failure;
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
