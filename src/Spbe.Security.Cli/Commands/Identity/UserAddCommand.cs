using System.CommandLine;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Spbe.Security.Identity.Accounts;

namespace Spbe.Security.Cli.Commands.Identity;

/// <summary><c>spbe identity user add --nip NIP --name NAME --opd CODE [--jabatan] [--email] [--role]... --password-stdin</c>.</summary>
internal static class UserAddCommand
{
    public static Command Create(CliOutput output)
    {
        var nip = new Option<string>("--nip") { Description = "The 18-digit NIP (the user name)", Required = true };
        var name = new Option<string>("--name") { Description = "The full name", Required = true };
        var opd = new Option<string>("--opd") { Description = "The OPD code (policies/identity/opd.yaml)", Required = true };
        var jabatan = new Option<string?>("--jabatan") { Description = "The position" };
        var email = new Option<string?>("--email") { Description = "The e-mail address" };
        var roles = new Option<string[]>("--role") { Description = $"A role ({string.Join(", ", SpbeRoles.All)}); repeat for several" };
        var passwordStdin = new Option<bool>("--password-stdin") { Description = "Read the initial password from standard input", Required = true };
        var json = CliOptions.Json();
        var command = new Command("add", "Create an ASN account") { nip, name, opd, jabatan, email, roles, passwordStdin, json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var password = await output.ReadSecretAsync();
            using var host = await CliHost.OpenAsync(parse.GetRequiredValue(CliOptions.Data), output, cancellationToken);
            await using var scope = host.Services.CreateAsyncScope();
            var result = await scope.ServiceProvider.GetRequiredService<AccountService>().CreateAsync(
                new NewAccount(parse.GetRequiredValue(nip), parse.GetRequiredValue(name), parse.GetRequiredValue(opd),
                    parse.GetValue(jabatan), parse.GetValue(email), parse.GetValue(roles) ?? []),
                password);
            if (!result.Succeeded)
            {
                output.Fail(result.ErrorCode!, result.Reason!);
                return ExitCodes.Failure;
            }

            var account = result.Account!;
            output.Out.WriteLine(parse.GetValue(json)
                ? JsonSerializer.Serialize(new { id = account.Id, nip = account.Nip, name = account.DisplayName, opd = account.OpdCode, roles = parse.GetValue(roles) ?? [] })
                : $"created account {account.Nip} ({account.DisplayName}, {account.OpdCode})");
            return ExitCodes.Success;
        });
        return command;
    }
}
