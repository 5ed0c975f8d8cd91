using System.CommandLine;

namespace Spbe.Security.Cli.Commands.Identity;

/// <summary><c>spbe identity</c>: ASN accounts and relying parties of the SSO.</summary>
internal static class IdentityCommand
{
    public static Command Create(CliOutput output) => new("identity", "Manage SSO accounts and client applications")
    {
        new Command("user", "ASN accounts (username = NIP)")
        {
            UserAddCommand.Create(output),
            UserListCommand.Create(output),
            UserDisableCommand.Create(output),
            UserResetMfaCommand.Create(output),
        },
        new Command("client", "Relying parties (OPD applications) of the OpenID Connect provider")
        {
            ClientAddCommand.Create(output),
            ClientListCommand.Create(output),
            ClientRotateSecretCommand.Create(output),
            ClientRemoveCommand.Create(output),
        },
    };
}
