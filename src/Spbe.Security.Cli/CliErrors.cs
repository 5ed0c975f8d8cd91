namespace Spbe.Security.Cli;

/// <summary>Stable codes the CLI itself reports; capability codes pass through unchanged.</summary>
internal static class CliErrors
{
    /// <summary>Configuration (appsettings, environment) failed validation.</summary>
    public const string InvalidConfiguration = "CLI-0001";

    /// <summary>Options that do not go together (the command line parses, but asks for something impossible).</summary>
    public const string Usage = "CLI-0002";

    /// <summary>An unexpected failure; the message names the exception type.</summary>
    public const string Unexpected = "CLI-0009";
}
