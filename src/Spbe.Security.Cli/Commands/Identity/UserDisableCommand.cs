using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Spbe.Security.Identity.Accounts;

namespace Spbe.Security.Cli.Commands.Identity;

/// <summary><c>spbe identity user disable --nip NIP</c>: no more sign-ins, sessions end, tokens revoked.</summary>
internal static class UserDisableCommand
{
    public static Command Create(CliOutput output)
    {
        var nip = new Option<string>("--nip") { Description = "The NIP of the account", Required = true };
        var command = new Command("disable", "Disable an account and revoke its tokens") { nip };
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var host = await CliHost.OpenAsync(parse.GetRequiredValue(CliOptions.Data), output, cancellationToken);
            await using var scope = host.Services.CreateAsyncScope();
            var result = await scope.ServiceProvider.GetRequiredService<AccountService>().DisableAsync(parse.GetRequiredValue(nip), cancellationToken);
            if (!result.Succeeded)
            {
                output.Fail(result.ErrorCode!, result.Reason!);
                return ExitCodes.Failure;
            }

            output.Out.WriteLine($"disabled account {result.Account!.Nip}; its tokens are revoked");
            return ExitCodes.Success;
        });
        return command;
    }
}
