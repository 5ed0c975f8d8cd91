using System.CommandLine;
using System.Text.Json;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Spbe.Security.Identity.Accounts;
using Spbe.Security.Identity.Organizations;
using Spbe.Security.Pki;
using Spbe.Security.Pki.Authority;
using Spbe.Security.Pki.Profiles;

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
            if (!host.Services.GetRequiredService<ProfileCatalog>().TryFind(profileName, out var found))
            {
                output.Fail(PkiErrors.UnknownProfile, $"no certificate profile '{profileName}'");
                return ExitCodes.Failure;
            }

            var subject = await SubjectAsync(host.Services, found.Subject, parse.GetValue(nip), parse.GetValue(opd), parse.GetValue(dns) ?? []);
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

    private static async Task<(SubjectInfo? Info, string? Code, string? Error)> SubjectAsync(IServiceProvider services, SubjectKind kind, string? nip, string? opd, string[] dns)
    {
        var opds = services.GetRequiredService<OpdCatalog>();
        switch (kind)
        {
            case SubjectKind.Person:
                if (nip is null)
                {
                    return (null, PkiErrors.SubjectInvalid, "this profile is for an official: give --nip");
                }

                await using (var scope = services.CreateAsyncScope())
                {
                    var user = await scope.ServiceProvider.GetRequiredService<UserManager<AsnUser>>().FindByNameAsync(nip);
                    if (user is null || user.Disabled)
                    {
                        return (null, PkiErrors.SubjectInvalid, user is null ? $"no ASN account with NIP {nip}" : $"the account {nip} is disabled");
                    }

                    return (new SubjectInfo(user.DisplayName, user.Nip, user.OpdCode, user.Jabatan, user.Email), null, null);
                }

            case SubjectKind.Organization or SubjectKind.Server:
                if (opd is null || !opds.TryFind(opd, out var found) || !found.Active)
                {
                    return (null, PkiErrors.SubjectInvalid, "this profile is for an OPD: give --opd with an active code from policies/identity/opd.yaml");
                }

                return (new SubjectInfo(found.Name, OpdCode: found.Code, DnsNames: kind == SubjectKind.Server ? dns : null), null, null);

            default:
                return (null, PkiErrors.UnknownProfile, "this profile is for the CA's own services");
        }
    }
}
