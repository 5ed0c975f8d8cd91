using System.CommandLine;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Spbe.Security.Data;

namespace Spbe.Security.Cli.Commands;

/// <summary>
/// <c>spbe init</c>: creates the data directory and everything the host needs in it (the same steps the host takes
/// on first start), keeps what already exists, and prints what it made.
/// </summary>
internal static class InitCommand
{
    public static Command Create(CliOutput output)
    {
        var json = CliOptions.Json();
        var command = new Command("init", "Create the data directory (databases, master key, HTTPS certificate) and print what was made") { json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var host = CliHost.Build(parse.GetRequiredValue(CliOptions.Data), output);
            var initializer = host.Services.GetRequiredService<DataDirectoryInitializer>();
            var report = await output.WithStatusAsync("Initialising the data directory…", () => initializer.InitializeAsync(cancellationToken));
            Print(output, report, parse.GetValue(json));
            return ExitCodes.Success;
        });
        return command;
    }

    private static void Print(CliOutput output, InitializationReport report, bool json)
    {
        if (json)
        {
            output.Out.WriteLine(JsonSerializer.Serialize(new
            {
                dataDirectory = report.DataDirectory,
                masterKeySource = report.MasterKeySource.ToString(),
                steps = report.Steps.Select(s => new { action = s.Action.ToString().ToLowerInvariant(), item = s.Item, detail = s.Detail }),
            }));
            return;
        }

        output.Out.WriteLine($"Data directory {report.DataDirectory}");
        var width = report.Steps.Max(s => s.Item.Length);
        foreach (var step in report.Steps)
        {
            var line = $"  {step.Action.ToString().ToLowerInvariant(),-8} {step.Item.PadRight(width)}  {step.Detail}";
            output.Out.WriteLine(line.TrimEnd());
        }
    }
}
