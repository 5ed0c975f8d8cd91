using System.Diagnostics;

namespace Spbe.Security.Testing;

/// <summary>What an external program printed and returned.</summary>
/// <param name="ExitCode">Its exit code.</param>
/// <param name="Output">Standard output.</param>
/// <param name="Error">Standard error.</param>
public sealed record ToolRun(int ExitCode, string Output, string Error)
{
    /// <summary>Both streams, for assertion messages.</summary>
    public override string ToString() => $"exit {ExitCode}\n{Output}\n{Error}";
}

/// <summary>Runs real external programs (openssl, softhsm2-util…) the way an operator or a relying party would.</summary>
public static class ExternalTool
{
    /// <summary>Runs <paramref name="file"/> with <paramref name="arguments"/> in <paramref name="workingDirectory"/>,
    /// feeding <paramref name="input"/> to stdin; fails after <paramref name="timeout"/> (default 60 s).</summary>
    public static async Task<ToolRun> RunAsync(string file, IEnumerable<string> arguments, string? workingDirectory = null, string? input = null,
        TimeSpan? timeout = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{file} did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (input is not null)
        {
            await process.StandardInput.WriteAsync(input);
        }

        process.StandardInput.Close();
        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', arguments)} did not finish in time");
        }

        return new ToolRun(process.ExitCode, await output, await error);
    }

    /// <summary>Runs openssl (Debian's) in <paramref name="workingDirectory"/>.</summary>
    public static Task<ToolRun> OpenSslAsync(string workingDirectory, params string[] arguments) => RunAsync("openssl", arguments, workingDirectory);
}
