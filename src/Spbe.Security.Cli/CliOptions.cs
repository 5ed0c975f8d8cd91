using System.CommandLine;

namespace Spbe.Security.Cli;

/// <summary>Options shared by many commands.</summary>
internal static class CliOptions
{
    /// <summary><c>--data DIR</c>: the data directory (default <c>./data</c>); every command takes it.</summary>
    public static Option<DirectoryInfo> Data { get; } = new("--data")
    {
        Description = "The data directory",
        Recursive = true,
        DefaultValueFactory = _ => new DirectoryInfo(Spbe.Security.Data.SpbeDefaults.DataDirectory),
        HelpName = "DIR",
    };

    /// <summary><c>--json</c>: print one JSON document instead of text.</summary>
    public static Option<bool> Json() => new("--json") { Description = "Print one JSON document" };
}
