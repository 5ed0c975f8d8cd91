namespace Spbe.Security.Cli;

/// <summary>The exit codes of every <c>spbe</c> command.</summary>
internal static class ExitCodes
{
    /// <summary>The command did what was asked.</summary>
    public const int Success = 0;

    /// <summary>The command failed; stderr holds a one-line, coded reason.</summary>
    public const int Failure = 1;

    /// <summary>The command line was wrong (unknown command or option, missing argument).</summary>
    public const int Usage = 2;
}
