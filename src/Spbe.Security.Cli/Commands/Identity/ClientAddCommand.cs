using System.CommandLine;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Spbe.Security.Identity.Clients;

namespace Spbe.Security.Cli.Commands.Identity;

/// <summary>
/// <c>spbe identity client add --client-id ID --grant G... [--redirect-uri URI]... [--post-logout-redirect-uri URI]...
/// [--scope S]... [--public | --secret-stdin] [--json]</c>. A confidential client without <c>--secret-stdin</c> gets
/// a generated secret, printed once.
/// </summary>
internal static class ClientAddCommand
{
    public static Command Create(CliOutput output)
    {
        var clientId = new Option<string>("--client-id") { Description = "The client_id", Required = true };
        var displayName = new Option<string?>("--display-name") { Description = "A name people recognise" };
        var grants = new Option<string[]>("--grant")
        {
            Description = "authorization_code, refresh_token, client_credentials, urn:ietf:params:oauth:grant-type:device_code or "
                + "urn:ietf:params:oauth:grant-type:token-exchange; repeat for several",
            Required = true,
        };
        var redirectUris = new Option<string[]>("--redirect-uri") { Description = "An exact redirect URI; repeat for several" };
        var postLogout = new Option<string[]>("--post-logout-redirect-uri") { Description = "An exact post-logout redirect URI; repeat for several" };
        var scopes = new Option<string[]>("--scope") { Description = "profile, email, roles, opd or offline_access; repeat for several" };
        var backchannel = new Option<string?>("--backchannel-logout-uri") { Description = "Where logout tokens are POSTed when a user signs out" };
        var thirdParty = new Option<bool>("--third-party") { Description = "An application not run by the city: users are asked for consent" };
        var isPublic = new Option<bool>("--public") { Description = "A public client (native or browser app, no secret)" };
        var secretStdin = new Option<bool>("--secret-stdin") { Description = "Read the client secret (at least 32 characters) from standard input" };
        var json = CliOptions.Json();
        var command = new Command("add", "Register a client application")
        {
            clientId, displayName, grants, redirectUris, postLogout, scopes, backchannel, thirdParty, isPublic, secretStdin, json,
        };
        command.Validators.Add(result =>
        {
            if (result.GetValue(isPublic) && result.GetValue(secretStdin))
            {
                result.AddError("--public and --secret-stdin cannot be used together");
            }
        });
        command.SetAction(async (parse, cancellationToken) =>
        {
            var secret = parse.GetValue(secretStdin) ? await output.ReadSecretAsync() : null;
            using var host = await CliHost.OpenAsync(parse.GetRequiredValue(CliOptions.Data), output, cancellationToken);
            await using var scope = host.Services.CreateAsyncScope();
            var result = await scope.ServiceProvider.GetRequiredService<ClientService>().CreateAsync(new NewClient(
                parse.GetRequiredValue(clientId), parse.GetValue(displayName), parse.GetRequiredValue(grants),
                NewClient.ParseUris(parse.GetValue(redirectUris)), NewClient.ParseUris(parse.GetValue(postLogout)), parse.GetValue(scopes) ?? [],
                parse.GetValue(isPublic), secret, parse.GetValue(thirdParty),
                parse.GetValue(backchannel) is { } logout ? NewClient.ParseUris([logout])[0] : null), cancellationToken);
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
                output.Out.WriteLine($"registered client {result.ClientId}");
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
