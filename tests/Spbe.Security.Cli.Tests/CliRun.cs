using Spbe.Security.Testing;

namespace Spbe.Security.Cli;

/// <summary>One in-process run of <c>spbe</c>: exit code, stdout and stderr.</summary>
internal sealed record CliRun(int ExitCode, string Out, string Error)
{
    public static async Task<CliRun> RunAsync(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var previous = Environment.GetEnvironmentVariable("Spbe__PoliciesDirectory");
        Environment.SetEnvironmentVariable("Spbe__PoliciesDirectory", RepositoryPaths.Policies);
        try
        {
            var code = await SpbeCli.RunAsync(args, stdout, stderr, interactive: false);
            return new CliRun(code, stdout.ToString(), stderr.ToString());
        }
        finally
        {
            Environment.SetEnvironmentVariable("Spbe__PoliciesDirectory", previous);
        }
    }
}
