using System.CommandLine;
using Spbe.Security.Cli.Commands;
using Spbe.Security.Cli.Commands.Identity;

namespace Spbe.Security.Cli;

/// <summary>The <c>spbe</c> command tree and its error handling: exit 0 on success, 1 with one coded line per
/// problem on stderr, 2 for a wrong command line.</summary>
internal static class SpbeCli
{
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, bool interactive, TextReader? stdin = null, CancellationToken cancellationToken = default)
    {
        var output = new CliOutput(stdout, stderr, interactive, stdin);
        var root = new RootCommand("spbe: administer Spbe.Security (SSO, PKI and electronic signatures, SOC) from the command line")
        {
            CliOptions.Data,
            VersionCommand.Create(output),
            InitCommand.Create(output),
            IdentityCommand.Create(output),
            Commands.Pki.PkiCommand.Create(output),
            Commands.Soc.SocCommand.Create(output),
            Commands.Soc.LogtestCommand.Create(output),
            Commands.Signing.SignCommand.Create(output),
            Commands.Signing.VerifyCommand.Create(output),
        };

        var parse = root.Parse(args);
        var invocation = new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false };
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
            {
                stderr.WriteLine($"spbe: {error.Message}");
            }

            stderr.WriteLine("Run 'spbe --help' for usage.");
            return ExitCodes.Usage;
        }

        if (parse.Action is null)
        {
            return ExitCodes.Usage;
        }

        try
        {
            return await parse.InvokeAsync(invocation, cancellationToken);
        }
        catch (Exception ex) when (Report(output, ex))
        {
        }

        return ExitCodes.Failure;
    }

    /// <summary>Writes the coded lines for a failure; <see langword="false"/> for exceptions that are bugs, which
    /// then surface with their stack trace.</summary>
    private static bool Report(CliOutput output, Exception exception)
    {
        if (OperatorFailure.Describe(exception, CliErrors.InvalidConfiguration) is { } lines)
        {
            foreach (var (code, reason) in lines)
            {
                output.Fail(code, reason);
            }

            return true;
        }

        switch (exception)
        {
            case OperationCanceledException:
                output.Error.WriteLine("spbe: cancelled");
                return true;
            case IOException or UnauthorizedAccessException:
                output.Fail(CliErrors.Unexpected, $"{exception.GetType().Name}: {exception.Message}");
                return true;
            default:
                return false;
        }
    }
}
