using System.CommandLine;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Spbe.Security.Pki;
using Spbe.Security.Pki.Authority;

namespace Spbe.Security.Cli.Commands.Pki;

/// <summary>
/// <c>spbe pki issue --profile NAME --csr FILE (--nip NIP | --opd CODE [--dns NAME]...) [--out FILE] [--json]</c>:
/// issues directly (an officer's act, recorded in the ledger). The subject comes from the account or the OPD list.
/// </summary>
internal static class PkiIssueCommand
{
    public static Command Create(CliOutput output)
    {
        var profile = new Option<string>("--profile") { Description = "The certificate profile (policies/pki/profiles)", Required = true };
        var csr = new Option<FileInfo>("--csr") { Description = "The PKCS#10 request (PEM or DER)", Required = true };
        var nip = new Option<string?>("--nip") { Description = "The official (person profiles)" };
        var opd = new Option<string?>("--opd") { Description = "The OPD (seal and server profiles)" };
        var dns = new Option<string[]>("--dns") { Description = "A DNS name (server profiles; repeat for more)", AllowMultipleArgumentsPerToken = false };
        var outFile = new Option<FileInfo?>("--out") { Description = "Write the certificate (PEM) here instead of stdout" };
        var json = CliOptions.Json();
        var command = new Command("issue", "Issue a certificate for a CSR under a profile") { profile, csr, nip, opd, dns, outFile, json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var host = await CliHost.OpenAsync(parse.GetRequiredValue(CliOptions.Data), output, cancellationToken);
            var profileName = parse.GetRequiredValue(profile);
            var subject = await PkiSubjects.ResolveAsync(host.Services, profileName, parse.GetValue(nip), parse.GetValue(opd), parse.GetValue(dns) ?? []);
            if (subject.Error is { } error)
            {
                output.Fail(subject.Code!, error);
                return ExitCodes.Failure;
            }

            var file = parse.GetRequiredValue(csr);
            if (!file.Exists || file.Length > CertificateRequestParser.MaxSize)
            {
                output.Fail(file.Exists ? PkiErrors.TooLarge : PkiErrors.CsrMalformed, file.Exists ? $"{file.FullName} is larger than a certificate request can be" : $"{file.FullName} does not exist");
                return ExitCodes.Failure;
            }

            var authority = host.Services.GetRequiredService<CertificateAuthority>();
            if (!authority.IsInitialized)
            {
                output.Fail(PkiErrors.NotInitialized, "the CA has not been created yet: run 'spbe pki init'");
                return ExitCodes.Failure;
            }

            var result = await authority.IssueFromRequestAsync(profileName, subject.Info!, await File.ReadAllBytesAsync(file.FullName, cancellationToken), PkiCommand.Actor,
                cancellationToken: cancellationToken);
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

            if (parse.GetValue(json))
            {
                output.Out.WriteLine(JsonSerializer.Serialize(new
                {
                    serial = issued.Serial, profile = issued.Profile, subject = issued.Subject, notBefore = issued.NotBefore, notAfter = issued.NotAfter, pem = issued.ToPem(),
                }));
            }
            else if (parse.GetValue(outFile) is null)
            {
                output.Out.Write(issued.ToPem());
            }

            output.Error.WriteLine($"issued {issued.Serial} ({issued.Profile}) for {issued.Subject}, valid until {issued.NotAfter:yyyy-MM-dd}");
            return ExitCodes.Success;
        });
        return command;
    }
}
