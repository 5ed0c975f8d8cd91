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
        var spbe = Path.Combine(RepositoryPaths.BuildOutput("Spbe.Security.Cli"), "spbe");
        using var process = Process.Start(new ProcessStartInfo(spbe, ["version", "--json"]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.Equal(0, process.ExitCode);
        Assert.StartsWith("{\"version\":\"", output, StringComparison.Ordinal);

        using var wrong = Process.Start(new ProcessStartInfo(spbe, ["frobnicate"]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        await wrong.WaitForExitAsync();
        Assert.Equal(2, wrong.ExitCode);
    }
}
