using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Spbe.Security.Identity.Accounts;
using Spbe.Security.Identity.Organizations;
using Spbe.Security.Pki;
using Spbe.Security.Pki.Authority;
using Spbe.Security.Pki.Profiles;

namespace Spbe.Security.Cli.Commands.Pki;

/// <summary>Builds a certificate subject from the ASN account (person profiles) or the OPD list, never from a request.</summary>
internal static class PkiSubjects
{
    public static async Task<(SubjectInfo? Info, string? Code, string? Error)> ResolveAsync(IServiceProvider services, string profileName, string? nip, string? opd, string[] dns)
    {
        if (!services.GetRequiredService<ProfileCatalog>().TryFind(profileName, out var profile))
        {
            return (null, PkiErrors.UnknownProfile, $"no certificate profile '{profileName}'");
        }

        switch (profile.Subject)
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
                if (opd is null || !services.GetRequiredService<OpdCatalog>().TryFind(opd, out var found) || !found.Active)
                {
                    return (null, PkiErrors.SubjectInvalid, "this profile is for an OPD: give --opd with an active code from policies/identity/opd.yaml");
                }

                return (new SubjectInfo(found.Name, OpdCode: found.Code, DnsNames: profile.Subject == SubjectKind.Server ? dns : null), null, null);

            default:
                return (null, PkiErrors.UnknownProfile, "this profile is for the CA's own services");
        }
    }
}
