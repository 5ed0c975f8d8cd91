using System.CommandLine;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Spbe.Security.Pki;
using Spbe.Security.Pki.Authority;

namespace Spbe.Security.Cli.Commands.Pki;

/// <summary>
/// <c>spbe pki request --profile NAME (--nip NIP | --opd CODE [--dns NAME]...) (--csr FILE | --passphrase-stdin | --replaces SERIAL) [--json]</c>:
/// records a certificate request for a pki-officer to approve.
/// </summary>
internal static class PkiRequestCommand
{
    public static Command Create(CliOutput output)
    {
        var profile = new Option<string>("--profile") { Description = "The certificate profile", Required = true };
        var nip = new Option<string?>("--nip") { Description = "The official (person profiles)" };
        var opd = new Option<string?>("--opd") { Description = "The OPD (seal and server profiles)" };
        var dns = new Option<string[]>("--dns") { Description = "A DNS name (server profiles)" };
        var csr = new Option<FileInfo?>("--csr") { Description = "The PKCS#10 request (the official holds the key)" };
        var passphrase = new Option<bool>("--passphrase-stdin") { Description = "The server generates the key, wrapped under the passphrase read from stdin" };
        var replaces = new Option<string?>("--replaces") { Description = "The certificate this renews (no CSR: same key) or re-keys (with a CSR or passphrase)" };
        var json = CliOptions.Json();
        var command = new Command("request", "Request a certificate (a pki-officer approves it)") { profile, nip, opd, dns, csr, passphrase, replaces, json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var host = await CliHost.OpenAsync(parse.GetRequiredValue(CliOptions.Data), output, cancellationToken);
            var subject = await PkiSubjects.ResolveAsync(host.Services, parse.GetRequiredValue(profile), parse.GetValue(nip), parse.GetValue(opd), parse.GetValue(dns) ?? []);
            if (subject.Error is { } error)
            {
                output.Fail(subject.Code!, error);
                return ExitCodes.Failure;
            }

            byte[]? request = null;
            if (parse.GetValue(csr) is { } file)
            {
                if (!file.Exists || file.Length > CertificateRequestParser.MaxSize)
                {
                    output.Fail(file.Exists ? PkiErrors.TooLarge : PkiErrors.CsrMalformed, file.Exists ? $"{file.FullName} is too large" : $"{file.FullName} does not exist");
                    return ExitCodes.Failure;
                }

                request = await File.ReadAllBytesAsync(file.FullName, cancellationToken);
            }

            var secret = parse.GetValue(passphrase) ? await output.ReadSecretAsync() : null;
            var result = await host.Services.GetRequiredService<RegistrationAuthority>().RequestAsync(parse.GetRequiredValue(profile), subject.Info!,
                request, secret, PkiCommand.Actor, parse.GetValue(replaces), cancellationToken);
            if (!result.Success)
            {
                output.Fail(result.ErrorCode!, result.Error!);
                return ExitCodes.Failure;
            }

            Print(output, result.Value!, parse.GetValue(json));
            return ExitCodes.Success;
        });
        return command;
    }

    public static object Row(RegistrationInfo r) => new
    {
        id = r.Id, profile = r.Profile, subject = r.SubjectId, name = r.SubjectName, opd = r.Opd, state = r.State.ToString().ToLowerInvariant(), serverKey = r.ServerKey,
        requestedBy = r.RequestedBy, requestedAt = r.RequestedAt, decidedBy = r.DecidedBy, note = r.Note, serial = r.Serial, replaces = r.Replaces,
    };

    public static void Print(CliOutput output, RegistrationInfo r, bool json) =>
        output.Out.WriteLine(json ? JsonSerializer.Serialize(Row(r)) : $"{r.Id}  {r.State.ToString().ToLowerInvariant(),-8} {r.Profile,-16} {r.SubjectId}  {r.SubjectName}{(r.Serial is null ? string.Empty : $"  serial {r.Serial}")}");
}
