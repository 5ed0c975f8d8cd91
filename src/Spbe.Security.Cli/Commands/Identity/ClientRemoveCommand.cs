using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Spbe.Security.Identity.Clients;

namespace Spbe.Security.Cli.Commands.Identity;

/// <summary><c>spbe identity client remove --client-id ID</c>: the client and every token issued to it.</summary>
internal static class ClientRemoveCommand
{
    public static Command Create(CliOutput output)
    {
        var clientId = new Option<string>("--client-id") { Description = "The client_id", Required = true };
        var command = new Command("remove", "Remove a client application with its authorizations and tokens") { clientId };
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var host = await CliHost.OpenAsync(parse.GetRequiredValue(CliOptions.Data), output, cancellationToken);
            await using var scope = host.Services.CreateAsyncScope();
            var result = await scope.ServiceProvider.GetRequiredService<ClientService>()
                .RemoveAsync(parse.GetRequiredValue(clientId), actor: "cli", cancellationToken);
            if (!result.Succeeded)
            {
                output.Fail(result.ErrorCode!, result.Reason!);
                return ExitCodes.Failure;
            }

            output.Out.WriteLine($"removed client {result.ClientId} with its authorizations and tokens");
            return ExitCodes.Success;
        });
        return command;
    }
}
