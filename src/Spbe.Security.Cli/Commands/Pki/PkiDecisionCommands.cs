using System.CommandLine;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Spbe.Security.Pki.Authority;
using Spbe.Security.Pki.Persistence;

namespace Spbe.Security.Cli.Commands.Pki;

/// <summary><c>spbe pki approve|reject|requests</c>: a pki-officer's side of the registration workflow.</summary>
internal static class PkiDecisionCommands
{
    private static Option<string> Officer() => new("--officer") { Description = "The deciding pki-officer's NIP (recorded in the ledger)", Required = true };

    public static Command Approve(CliOutput output)
    {
        var id = new Option<Guid>("--id") { Description = "The request's id", Required = true };
        var officer = Officer();
        var outFile = new Option<FileInfo?>("--out") { Description = "Write the certificate (PEM) here" };
        var json = CliOptions.Json();
        var command = new Command("approve", "Approve a pending request after checking the official's identity; issues the certificate") { id, officer, outFile, json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var host = await CliHost.OpenAsync(parse.GetRequiredValue(CliOptions.Data), output, cancellationToken);
            var registration = host.Services.GetRequiredService<RegistrationAuthority>();
            var request = await registration.FindAsync(parse.GetRequiredValue(id), cancellationToken);
            SubjectInfo? current = null;
            if (request is { Profile: "pejabat-signing" })
            {
                // Note: the account is read again: a disabled or changed account gets no certificate from an old request.
                var resolved = await PkiSubjects.ResolveAsync(host.Services, request.Profile, request.SubjectId, null, []);
                if (resolved.Error is { } error)
                {
                    output.Fail(resolved.Code!, error);
                    return ExitCodes.Failure;
                }

                current = resolved.Info;
            }

            var result = await registration.ApproveAsync(parse.GetRequiredValue(id), parse.GetRequiredValue(officer), cancellationToken, current);
            if (!result.Success)
            {
                output.Fail(result.ErrorCode!, result.Error!);
                return ExitCodes.Failure;
            }

            var issued = result.Value!;
            if (parse.GetValue(outFile) is { } target)
            {
                await File.WriteAllTextAsync(target.FullName, issued.ToPem(), cancellationToken);
            }

            output.Out.WriteLine(parse.GetValue(json)
                ? JsonSerializer.Serialize(new { serial = issued.Serial, profile = issued.Profile, subject = issued.Subject, notAfter = issued.NotAfter, pem = issued.ToPem() })
                : $"issued {issued.Serial} for {issued.Subject}, valid until {issued.NotAfter:yyyy-MM-dd}");
            return ExitCodes.Success;
        });
        return command;
    }

    public static Command Enroll(CliOutput output)
    {
        var nip = new Option<string>("--nip") { Description = "The official", Required = true };
        var profile = new Option<string>("--profile") { Description = "The certificate profile (a person profile)", Required = true };
        var officer = Officer();
        var passphrase = new Option<bool>("--passphrase-stdin") { Description = "The official's passphrase, read from stdin (typed by the official)", Required = true };
        var json = CliOptions.Json();
        var command = new Command("enroll", "At the registration desk: generate the official's key on the server, wrapped under their passphrase, and issue at once")
        {
            nip, profile, officer, passphrase, json,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var host = await CliHost.OpenAsync(parse.GetRequiredValue(CliOptions.Data), output, cancellationToken);
            var subject = await PkiSubjects.ResolveAsync(host.Services, parse.GetRequiredValue(profile), parse.GetRequiredValue(nip), null, []);
            if (subject.Error is { } error)
            {
                output.Fail(subject.Code!, error);
                return ExitCodes.Failure;
            }

            var registration = host.Services.GetRequiredService<RegistrationAuthority>();
            var requested = await registration.RequestAsync(parse.GetRequiredValue(profile), subject.Info!, null, await output.ReadSecretAsync(),
                parse.GetRequiredValue(officer), cancellationToken: cancellationToken);
            if (!requested.Success)
            {
                output.Fail(requested.ErrorCode!, requested.Error!);
                return ExitCodes.Failure;
            }

            var issued = await registration.ApproveAsync(requested.Value!.Id, parse.GetRequiredValue(officer), cancellationToken);
            if (!issued.Success)
            {
                output.Fail(issued.ErrorCode!, issued.Error!);
                return ExitCodes.Failure;
            }

            output.Out.WriteLine(parse.GetValue(json)
                ? JsonSerializer.Serialize(new { request = requested.Value.Id, serial = issued.Value!.Serial, subject = issued.Value.Subject, notAfter = issued.Value.NotAfter, pem = issued.Value.ToPem() })
                : $"issued {issued.Value!.Serial} for {issued.Value.Subject}; the key stays on the server, usable only with the official's passphrase");
            return ExitCodes.Success;
        });
        return command;
    }

    public static Command Reject(CliOutput output)
    {
        var id = new Option<Guid>("--id") { Description = "The request's id", Required = true };
        var officer = Officer();
        var reason = new Option<string>("--reason") { Description = "Why (the official sees it)", Required = true };
        var json = CliOptions.Json();
        var command = new Command("reject", "Reject a pending request with a reason") { id, officer, reason, json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var host = await CliHost.OpenAsync(parse.GetRequiredValue(CliOptions.Data), output, cancellationToken);
            var result = await host.Services.GetRequiredService<RegistrationAuthority>().RejectAsync(parse.GetRequiredValue(id), parse.GetRequiredValue(officer),
                parse.GetRequiredValue(reason), cancellationToken);
            if (!result.Success)
            {
                output.Fail(result.ErrorCode!, result.Error!);
                return ExitCodes.Failure;
            }

            PkiRequestCommand.Print(output, result.Value!, parse.GetValue(json));
            return ExitCodes.Success;
        });
        return command;
    }

    public static Command List(CliOutput output)
    {
        var state = new Option<string?>("--state") { Description = "pending, issued or rejected" };
        var opd = new Option<string?>("--opd") { Description = "Only this OPD's requests" };
        var json = CliOptions.Json();
        var command = new Command("requests", "List certificate requests, newest first") { state, opd, json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            RegistrationState? wanted = null;
            if (parse.GetValue(state) is { } text)
            {
                if (!Enum.TryParse<RegistrationState>(text, ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed) || int.TryParse(text, out _))
                {
                    output.Error.WriteLine($"spbe: --state must be pending, issued or rejected, not '{text}'");
                    return ExitCodes.Usage;
                }

                wanted = parsed;
            }

            using var host = await CliHost.OpenAsync(parse.GetRequiredValue(CliOptions.Data), output, cancellationToken);
            var rows = await host.Services.GetRequiredService<RegistrationAuthority>().ListAsync(wanted, parse.GetValue(opd), cancellationToken);
            if (parse.GetValue(json))
            {
                output.Out.WriteLine(JsonSerializer.Serialize(rows.Select(PkiRequestCommand.Row)));
                return ExitCodes.Success;
            }

            foreach (var row in rows)
            {
                PkiRequestCommand.Print(output, row, json: false);
            }

            output.Error.WriteLine($"{rows.Count} request(s)");
            return ExitCodes.Success;
        });
        return command;
    }
}
