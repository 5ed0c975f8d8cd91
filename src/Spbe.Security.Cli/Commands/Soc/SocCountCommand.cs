using System.CommandLine;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Spbe.Security.Soc;
using Spbe.Security.Soc.Store;

namespace Spbe.Security.Cli.Commands.Soc;

/// <summary><c>spbe soc count [filters] [--json]</c>: how many stored events match (all of them without filters).</summary>
internal static class SocCountCommand
{
    public static Command Create(CliOutput output)
    {
        var filters = new SocQueryOptions();
        var json = CliOptions.Json();
        var command = new Command("count", "Count stored events") { json };
        foreach (var option in filters.All)
        {
            command.Options.Add(option);
        }

        command.SetAction(async (parse, cancellationToken) =>
        {
            using var host = await CliHost.OpenAsync(parse.GetRequiredValue(CliOptions.Data), output, cancellationToken);
            EventQuery query;
            try
            {
                query = filters.Build(parse, host.Services.GetRequiredService<TimeProvider>().GetUtcNow());
            }
            catch (FormatException ex)
            {
                output.Fail(SocErrors.QueryInvalid, ex.Message);
                return ExitCodes.Usage;
            }

            var count = await host.Services.GetRequiredService<IEventStore>().CountAsync(query, cancellationToken);
            output.Out.WriteLine(parse.GetValue(json) ? JsonSerializer.Serialize(new { count }) : count.ToString(System.Globalization.CultureInfo.InvariantCulture));
            return ExitCodes.Success;
        });
        return command;
    }
}
