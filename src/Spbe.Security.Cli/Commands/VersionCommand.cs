using System.CommandLine;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace Spbe.Security.Cli.Commands;

/// <summary><c>spbe version</c>: the product version, the runtime and the platform.</summary>
internal static class VersionCommand
{
    public static string ProductVersion { get; } =
        typeof(VersionCommand).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    public static Command Create(CliOutput output)
    {
        var json = CliOptions.Json();
        var command = new Command("version", "Print the version of spbe") { json };
        command.SetAction(parse =>
        {
            if (parse.GetValue(json))
            {
                output.Out.WriteLine(JsonSerializer.Serialize(new
                {
                    version = ProductVersion,
                    runtime = RuntimeInformation.FrameworkDescription,
                    os = RuntimeInformation.OSDescription,
                }));
            }
            else
            {
                output.Out.WriteLine($"spbe {ProductVersion} ({RuntimeInformation.FrameworkDescription}, {RuntimeInformation.RuntimeIdentifier})");
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
