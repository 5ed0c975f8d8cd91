using System.CommandLine;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Spbe.Security.Pki.Authority;
using Spbe.Security.Pki.Persistence;

namespace Spbe.Security.Cli.Commands.Pki;

/// <summary><c>spbe pki certificates [--opd CODE] [--state good|revoked|onhold] [--limit N] [--json]</c>: what was issued
/// to whom, per OPD (DISKOMINFO monitors certificate use per OPD).</summary>
internal static class PkiCertificatesCommand
{
    public static Command Create(CliOutput output)
    {
        var opd = new Option<string?>("--opd") { Description = "Only this OPD's certificates" };
        var state = new Option<string?>("--state") { Description = "good, revoked or onhold" };
        var limit = new Option<int>("--limit") { Description = "At most this many, newest first", DefaultValueFactory = _ => 1000 };
        var json = CliOptions.Json();
        var command = new Command("certificates", "List issued certificates, newest first, with a count per OPD") { opd, state, limit, json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            CertificateState? wanted = null;
            if (parse.GetValue(state) is { } text)
            {
                if (!Enum.TryParse<CertificateState>(text, ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed) || int.TryParse(text, out _))
                {
                    output.Error.WriteLine($"spbe: --state must be good, revoked or onhold, not '{text}'");
                    return ExitCodes.Usage;
                }

                wanted = parsed;
            }

            using var host = await CliHost.OpenAsync(parse.GetRequiredValue(CliOptions.Data), output, cancellationToken);
            var rows = await host.Services.GetRequiredService<CertificateAuthority>().ListAsync(parse.GetValue(opd), wanted, parse.GetValue(limit), cancellationToken);
            if (parse.GetValue(json))
            {
                output.Out.WriteLine(JsonSerializer.Serialize(rows.Select(c => new
                {
                    serial = c.Serial, profile = c.Profile, subject = c.Subject, nip = c.Nip, opd = c.Opd, state = c.State.ToString().ToLowerInvariant(),
                    issuedAt = c.IssuedAt, notAfter = c.NotAfter,
                })));
                return ExitCodes.Success;
            }

            foreach (var c in rows)
            {
                output.Out.WriteLine($"{c.Serial}  {c.State.ToString().ToLowerInvariant(),-7} {c.Opd,-12} {c.Profile,-16} until {c.NotAfter:yyyy-MM-dd}  {c.Subject}");
            }

            foreach (var group in rows.GroupBy(c => c.Opd).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                output.Error.WriteLine($"{group.Key}: {group.Count()} ({group.Count(c => c.State == CertificateState.Good)} good)");
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
