using System.Diagnostics;
using Spbe.Security.Testing;

namespace Spbe.Security.Cli;

public sealed class SpbeCliTests
{
    [Fact]
    public async Task Help_lists_the_commands_and_succeeds()
    {
        var run = await CliRun.RunAsync("--help");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.Contains("init", run.Out, StringComparison.Ordinal);
        Assert.Contains("version", run.Out, StringComparison.Ordinal);
        Assert.Contains("--data", run.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("no-such-command")]
    [InlineData("init", "--no-such-option")]
    [InlineData]
    public async Task A_wrong_command_line_exits_2_with_a_short_reason(params string[] args)
    {
        var run = await CliRun.RunAsync(args);

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.StartsWith("spbe: ", run.Error, StringComparison.Ordinal);
        Assert.Empty(run.Out);
    }

    [Fact]
    public async Task The_installed_binary_keeps_the_exit_code_contract()
    {
        var (code, output, _) = await RunBinaryAsync("version", "--json");
        var (wrongCode, wrongOutput, wrongError) = await RunBinaryAsync("frobnicate");

        Assert.Equal(0, code);
        Assert.StartsWith("{\"version\":\"", output, StringComparison.Ordinal);
        Assert.Equal(2, wrongCode);
        Assert.Empty(wrongOutput);
        Assert.StartsWith("spbe: ", wrongError, StringComparison.Ordinal);
    }

    private static async Task<(int Code, string Out, string Error)> RunBinaryAsync(params string[] args)
    {
        var spbe = Path.Combine(RepositoryPaths.BuildOutput("Spbe.Security.Cli"), "spbe");
        using var process = Process.Start(new ProcessStartInfo(spbe, args) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var error = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await error);
    }
}
