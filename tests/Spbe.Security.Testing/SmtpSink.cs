using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Xunit;

namespace Spbe.Security.Testing;

/// <summary>
/// A real SMTP server for tests: aiosmtpd (Debian's python3-aiosmtpd) on 127.0.0.1, delivering every message it accepts
/// into a Maildir that the test reads. It stops with the test.
/// </summary>
public sealed class SmtpSink : IDisposable
{
    private readonly Process _process;

    private SmtpSink(Process process, int port, string maildir)
    {
        _process = process;
        Port = port;
        Maildir = maildir;
    }

    /// <summary>The port it listens on.</summary>
    public int Port { get; }

    /// <summary>The Maildir messages are delivered to.</summary>
    public string Maildir { get; }

    /// <summary>Starts the server with its Maildir under <paramref name="directory"/>.</summary>
    public static async Task<SmtpSink> StartAsync(string directory)
    {
        var maildir = Path.Combine(directory, "maildir");
        var port = FreePort();
        var start = new ProcessStartInfo("/usr/bin/python3", ["-m", "aiosmtpd", "-n", "-l", $"127.0.0.1:{port}", "-c", "aiosmtpd.handlers.Mailbox", maildir])
        {
            RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false,
        };
        var process = Process.Start(start)!;
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        while (!process.HasExited && !wait.IsCancellationRequested)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, port, wait.Token);
                return new SmtpSink(process, port, maildir);
            }
            catch (SocketException)
            {
                await Task.Delay(50, CancellationToken.None);
            }
        }

        Assert.Fail("aiosmtpd did not start (Debian package python3-aiosmtpd; .ci/run installs it)");
        return null!;
    }

    /// <summary>The messages delivered so far, as raw text, waiting up to <paramref name="timeout"/> for
    /// <paramref name="count"/> of them.</summary>
    public async Task<IReadOnlyList<string>> MessagesAsync(int count, TimeSpan timeout)
    {
        var newDir = Path.Combine(Maildir, "new");
        var deadline = TimeProvider.System.GetUtcNow() + timeout;
        while (true)
        {
            var files = Directory.Exists(newDir) ? Directory.GetFiles(newDir) : [];
            if (files.Length >= count || TimeProvider.System.GetUtcNow() > deadline)
            {
                return [.. files.Select(File.ReadAllText)];
            }

            await Task.Delay(100);
        }
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit(10_000);
        }

        _process.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
