using Spbe.Security.Testing;

namespace Spbe.Security.Cli;

/// <summary>One in-process run of <c>spbe</c>: exit code, stdout and stderr.</summary>
internal sealed record CliRun(int ExitCode, string Out, string Error)
{
    public static Task<CliRun> RunAsync(params string[] args) => RunWithInputAsync(null, args);

    public static async Task<CliRun> RunWithInputAsync(string? stdin, params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var previous = Environment.GetEnvironmentVariable("Spbe__PoliciesDirectory");
        Environment.SetEnvironmentVariable("Spbe__PoliciesDirectory", RepositoryPaths.Policies);
        try
        {
            using var input = new StringReader(stdin ?? string.Empty);
            var code = await SpbeCli.RunAsync(args, stdout, stderr, interactive: false, input);
            return new CliRun(code, stdout.ToString(), stderr.ToString());
        }
        finally
        {
            Environment.SetEnvironmentVariable("Spbe__PoliciesDirectory", previous);
        }
    }
}
