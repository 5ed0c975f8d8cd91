using System.CommandLine;

namespace Spbe.Security.Cli.Commands.Soc;

/// <summary><c>spbe soc</c>: the SOC's event store.</summary>
internal static class SocCommand
{
    public static Command Create(CliOutput output) => new("soc", "The SOC: stored events, replay through the rules")
    {
        SocEventsCommand.Create(output),
        SocCountCommand.Create(output),
        SocReplayCommand.Create(output),
    };
}
