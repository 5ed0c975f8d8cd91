using System.CommandLine;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Spbe.Security.Identity.Clients;

namespace Spbe.Security.Cli.Commands.Identity;

/// <summary><c>spbe identity client rotate-secret --client-id ID [--secret-stdin] [--json]</c>.</summary>
internal static class ClientRotateSecretCommand
{
    public static Command Create(CliOutput output)
    {
        var clientId = new Option<string>("--client-id") { Description = "The client_id", Required = true };
        var secretStdin = new Option<bool>("--secret-stdin") { Description = "Read the new secret (at least 32 characters) from standard input" };
        var json = CliOptions.Json();
        var command = new Command("rotate-secret", "Replace a confidential client's secret (the old one stops working at once)") { clientId, secretStdin, json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var secret = parse.GetValue(secretStdin) ? await output.ReadSecretAsync() : null;
            using var host = await CliHost.OpenAsync(parse.GetRequiredValue(CliOptions.Data), output, cancellationToken);
            await using var scope = host.Services.CreateAsyncScope();
            var result = await scope.ServiceProvider.GetRequiredService<ClientService>()
                .RotateSecretAsync(parse.GetRequiredValue(clientId), secret, actor: "cli", cancellationToken);
            if (!result.Succeeded)
            {
                output.Fail(result.ErrorCode!, result.Reason!);
                return ExitCodes.Failure;
            }

            if (parse.GetValue(json))
            {
                output.Out.WriteLine(result.GeneratedSecret is null
                    ? JsonSerializer.Serialize(new { client_id = result.ClientId })
                    : JsonSerializer.Serialize(new { client_id = result.ClientId, client_secret = result.GeneratedSecret }));
            }
            else
            {
                output.Out.WriteLine($"new secret for client {result.ClientId}");
                if (result.GeneratedSecret is not null)
                {
                    output.Out.WriteLine($"client_secret: {result.GeneratedSecret}");
                    output.Error.WriteLine("The secret is shown once and stored only as a hash: keep it now.");
                }
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
