using System.CommandLine;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using OpenIddict.Abstractions;

namespace Spbe.Security.Cli.Commands.Identity;

/// <summary><c>spbe identity client list [--json]</c>: client_id, type and redirect URIs; never secrets.</summary>
internal static class ClientListCommand
{
    public static Command Create(CliOutput output)
    {
        var json = CliOptions.Json();
        var command = new Command("list", "List client applications") { json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var host = await CliHost.OpenAsync(parse.GetRequiredValue(CliOptions.Data), output, cancellationToken);
            await using var scope = host.Services.CreateAsyncScope();
            var applications = scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>();
            var rows = new List<(string? Id, string? Name, string? Type, IEnumerable<string> RedirectUris)>();
            await foreach (var application in applications.ListAsync(count: null, offset: null, cancellationToken))
            {
                rows.Add((await applications.GetClientIdAsync(application, cancellationToken), await applications.GetDisplayNameAsync(application, cancellationToken),
                    await applications.GetClientTypeAsync(application, cancellationToken), await applications.GetRedirectUrisAsync(application, cancellationToken)));
            }

            if (parse.GetValue(json))
            {
                output.Out.WriteLine(JsonSerializer.Serialize(rows.OrderBy(r => r.Id, StringComparer.Ordinal).Select(r => new
                {
                    client_id = r.Id, display_name = r.Name, client_type = r.Type, redirect_uris = r.RedirectUris,
                })));
                return ExitCodes.Success;
            }

            foreach (var row in rows.OrderBy(r => r.Id, StringComparer.Ordinal))
            {
                output.Out.WriteLine($"{row.Id,-24} {row.Type,-12} {row.Name}  {string.Join(" ", row.RedirectUris)}");
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
