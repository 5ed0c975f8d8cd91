using System.CommandLine;
using System.Text.Json;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Spbe.Security.Identity.Accounts;

namespace Spbe.Security.Cli.Commands.Identity;

/// <summary><c>spbe identity user list [--opd CODE] [--json]</c>.</summary>
internal static class UserListCommand
{
    public static Command Create(CliOutput output)
    {
        var opd = new Option<string?>("--opd") { Description = "Only accounts of this OPD" };
        var json = CliOptions.Json();
        var command = new Command("list", "List ASN accounts") { opd, json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var host = await CliHost.OpenAsync(parse.GetRequiredValue(CliOptions.Data), output, cancellationToken);
            await using var scope = host.Services.CreateAsyncScope();
            var users = scope.ServiceProvider.GetRequiredService<UserManager<AsnUser>>();
            var filter = parse.GetValue(opd);
            var accounts = await users.Users.Where(u => filter == null || u.OpdCode == filter).OrderBy(u => u.UserName).ToListAsync(cancellationToken);
            var rows = new List<(AsnUser User, IList<string> Roles)>();
            foreach (var account in accounts)
            {
                rows.Add((account, await users.GetRolesAsync(account)));
            }

            if (parse.GetValue(json))
            {
                output.Out.WriteLine(JsonSerializer.Serialize(rows.Select(r => new
                {
                    nip = r.User.Nip, name = r.User.DisplayName, opd = r.User.OpdCode, jabatan = r.User.Jabatan, roles = r.Roles, disabled = r.User.Disabled,
                })));
                return ExitCodes.Success;
            }

            foreach (var (user, roles) in rows)
            {
                output.Out.WriteLine($"{user.Nip}  {user.OpdCode,-12} {user.DisplayName}{(user.Disabled ? "  [nonaktif]" : string.Empty)}  {string.Join(",", roles)}");
            }

            output.Error.WriteLine($"{rows.Count} account(s)");
            return ExitCodes.Success;
        });
        return command;
    }
}
