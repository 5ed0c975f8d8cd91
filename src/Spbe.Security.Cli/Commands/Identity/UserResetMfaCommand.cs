using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Spbe.Security.Identity.Mfa;

namespace Spbe.Security.Cli.Commands.Identity;

/// <summary><c>spbe identity user reset-mfa --nip NIP</c>: removes the authenticator and recovery codes (lost phone).</summary>
internal static class UserResetMfaCommand
{
    public static Command Create(CliOutput output)
    {
        var nip = new Option<string>("--nip") { Description = "The NIP of the account", Required = true };
        var command = new Command("reset-mfa", "Remove an account's authenticator and recovery codes and end its sessions") { nip };
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var host = await CliHost.OpenAsync(parse.GetRequiredValue(CliOptions.Data), output, cancellationToken);
            await using var scope = host.Services.CreateAsyncScope();
            var result = await scope.ServiceProvider.GetRequiredService<MfaService>().ResetAsync(parse.GetRequiredValue(nip), actor: "cli");
            if (!result.Succeeded)
            {
                output.Fail(result.ErrorCode!, result.Reason!);
                return ExitCodes.Failure;
            }

            output.Out.WriteLine($"second factors of {result.Account!.Nip} removed; the user enrols again at the next sign-in that needs MFA");
            return ExitCodes.Success;
        });
        return command;
    }
}
