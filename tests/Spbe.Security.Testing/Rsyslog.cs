using System.Diagnostics;
using Xunit;

namespace Spbe.Security.Testing;

/// <summary>
/// A real rsyslogd from Debian's packages as a sender: it follows a file (imfile) and forwards each new line through
/// the action given (omfwd, omrelp, TLS). It runs in the foreground with its own work directory and is stopped with
/// SIGTERM to the PID in its pid file.
/// </summary>
public sealed class Rsyslog : IAsyncDisposable
{
    private readonly Process _process;

    private Rsyslog(string directory, Process process)
    {
        Directory = directory;
        _process = process;
    }

    public string Directory { get; }

    public string InputFile => Path.Combine(Directory, "app.log");

    /// <summary>Starts rsyslogd following <see cref="InputFile"/> with <paramref name="action"/> as its only action.</summary>
    public static async Task<Rsyslog> StartAsync(string directory, string action, string globals = "", string modules = "")
    {
        System.IO.Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "app.log"), "");
        var config = $"""
            global(workDirectory="{directory}" {globals})
            module(load="imfile" mode="inotify")
            {modules}
            input(type="imfile" file="{directory}/app.log" tag="app:" freshStartTail="off" severity="info" facility="local0")
            {action}
            """;
        var configFile = Path.Combine(directory, "rsyslog.conf");
        File.WriteAllText(configFile, config);
        var check = await ExternalTool.RunAsync("rsyslogd", ["-N1", "-f", configFile]);
        Assert.True(check.ExitCode == 0, $"rsyslogd rejects its configuration: {check}");
        var pidFile = Path.Combine(directory, "rsyslogd.pid");
        var start = new ProcessStartInfo("rsyslogd", ["-n", "-f", configFile, "-i", pidFile])
        {
            RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false,
        };
        var process = Process.Start(start)!;
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        // Note: rsyslogd writes its pid file once it has started; an early exit ends the wait too.
        using (var wait = new CancellationTokenSource(TimeSpan.FromSeconds(10)))
        {
            while (!File.Exists(pidFile) && !process.HasExited && !wait.IsCancellationRequested)
            {
                await Task.Delay(20, CancellationToken.None);
            }
        }

        Assert.False(process.HasExited, "rsyslogd exited at start");
        return new Rsyslog(directory, process);
    }

    /// <summary>Appends lines to the followed file.</summary>
    public void Append(IEnumerable<string> lines) => File.AppendAllLines(InputFile, lines);

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _ = await ExternalTool.RunAsync("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            if (!_process.WaitForExit(10_000))
            {
                _process.Kill();
            }
        }

        _process.Dispose();
    }
}
