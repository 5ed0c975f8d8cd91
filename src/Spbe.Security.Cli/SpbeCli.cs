using System.CommandLine;
using Microsoft.Extensions.Options;
using Spbe.Security.Cli.Commands;
using Spbe.Security.Policies;

namespace Spbe.Security.Cli;

/// <summary>The <c>spbe</c> command tree and its error handling: exit 0 on success, 1 with one coded line per
/// problem on stderr, 2 for a wrong command line.</summary>
internal static class SpbeCli
{
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, bool interactive, CancellationToken cancellationToken = default)
    {
        var output = new CliOutput(stdout, stderr, interactive);
        var root = new RootCommand("spbe: administer Spbe.Security (SSO, PKI and electronic signatures, SOC) from the command line")
        {
            CliOptions.Data,
            VersionCommand.Create(output),
            InitCommand.Create(output),
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
        catch (SpbeException ex)
        {
            output.Fail(ex.Code, ex.Message);
        }
        catch (PolicyException ex)
        {
            foreach (var error in ex.Errors)
            {
                output.Fail(error.Code, error.ToString());
            }
        }
        catch (OptionsValidationException ex)
        {
            foreach (var failure in ex.Failures)
            {
                output.Fail(CliErrors.InvalidConfiguration, failure);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            stderr.WriteLine("spbe: cancelled");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            output.Fail(CliErrors.Unexpected, $"{ex.GetType().Name}: {ex.Message}");
        }

        return ExitCodes.Failure;
    }
}
