using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using Spbe.Security.Testing;

namespace Spbe.Security.Host.Hosting;

/// <summary>
/// The built host binary (<c>dotnet Spbe.Security.Host.dll</c>) run as a separate process from a working directory,
/// exactly as an operator runs it; every wait is bounded and the process is killed on dispose.
/// </summary>
internal sealed partial class HostProcess : IDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private HostProcess(string workingDirectory, IReadOnlyDictionary<string, string> environment)
    {
        var dll = Path.Combine(RepositoryPaths.BuildOutput("Spbe.Security.Host"), "Spbe.Security.Host.dll");
        var start = new ProcessStartInfo("dotnet", [dll])
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["Host__HttpPort"] = "0";
        start.Environment["Host__HttpsPort"] = "0";
        foreach (var port in new[] { "Soc__SyslogUdpPort", "Soc__SyslogTcpPort", "Soc__SyslogTlsPort", "Soc__RelpPort" })
        {
            start.Environment[port] = "0";
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        _process = new Process { StartInfo = start, EnableRaisingEvents = true };
        _process.OutputDataReceived += (_, e) => OnLine(e.Data);
        _process.ErrorDataReceived += (_, e) => OnLine(e.Data);
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>Everything the process printed so far (stdout and stderr).</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public int Id => _process.Id;

    public static HostProcess Start(string workingDirectory, IReadOnlyDictionary<string, string>? environment = null) =>
        new(workingDirectory, environment ?? new Dictionary<string, string>());

    /// <summary>Waits until the HTTP listener is up and returns its address.</summary>
    public async Task<Uri> WaitUntilListeningAsync()
    {
        using var timeout = new CancellationTokenSource(StartTimeout);
        var exited = _process.WaitForExitAsync(timeout.Token);
        var first = await Task.WhenAny(_listening.Task, exited);
        if (first == _listening.Task)
        {
            return await _listening.Task;
        }

        throw new InvalidOperationException($"The host did not start (exit code {(_process.HasExited ? _process.ExitCode : -1)}):\n{Output}");
    }

    /// <summary>Waits for the process to exit by itself and returns its exit code.</summary>
    public async Task<int> WaitForExitAsync()
    {
        using var timeout = new CancellationTokenSource(StartTimeout);
        await _process.WaitForExitAsync(timeout.Token);
        return _process.ExitCode;
    }

    /// <summary>Kills the process abruptly (SIGKILL), as a crash or power loss would.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }

        _process.Dispose();
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }

        if (ListeningPattern().Match(line) is { Success: true } match)
        {
            _listening.TrySetResult(new Uri(match.Groups[1].Value));
        }
    }

    [GeneratedRegex(@"Now listening on: (http://\S+)")]
    private static partial Regex ListeningPattern();
}
