using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Spbe.Security.Testing;

namespace Spbe.Security.Host.Hosting;

/// <summary>The host binary started from an empty working directory, as README's first command does.</summary>
public sealed class HostProcessTests : IDisposable
{
    private readonly TempDirectory _work = new();

    public void Dispose() => _work.Dispose();

    private string DataPath => _work.Combine("data");

    private static async Task<HttpStatusCode> GetStatusAsync(Uri baseAddress, string path)
    {
        using var client = new HttpClient { BaseAddress = baseAddress };
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        return response.StatusCode;
    }

    private static string Fingerprint(string dataPath) => string.Join(",",
        JsonDocument.Parse(File.ReadAllText(Path.Combine(dataPath, "spbe-data.json"))).RootElement.GetProperty("masterKeyId").GetString(),
        File.ReadAllText(Path.Combine(dataPath, "keys", "master.key")).GetHashCode(StringComparison.Ordinal),
        File.ReadAllText(Path.Combine(dataPath, "tls", "https.crt")).GetHashCode(StringComparison.Ordinal));

    [Fact]
    public async Task First_start_creates_the_data_directory_and_a_restart_after_a_crash_keeps_it()
    {
        string before;
        using (var host = HostProcess.Start(_work.Path))
        {
            var address = await host.WaitUntilListeningAsync();
            Assert.Equal(HttpStatusCode.OK, await GetStatusAsync(address, "/readyz"));
            Assert.Contains("DATA-0010", host.Output, StringComparison.Ordinal);
            // Note: the embedded defaults have no fixed issuer; the host says so with its code on every start.
            Assert.Contains("IDN-0013", host.Output, StringComparison.Ordinal);
            before = Fingerprint(DataPath);
            Assert.True(File.Exists(Path.Combine(DataPath, "identity.db")));
            Assert.NotEmpty(Directory.GetFiles(Path.Combine(DataPath, "logs"), "spbe-*.clef"));
            await host.KillAsync();
        }

        using (var host = HostProcess.Start(_work.Path))
        {
            var address = await host.WaitUntilListeningAsync();
            Assert.Equal(HttpStatusCode.OK, await GetStatusAsync(address, "/readyz"));
            Assert.Equal(before, Fingerprint(DataPath));
        }
    }

    [Fact]
    public async Task Malformed_policy_stops_the_host_with_file_line_and_reason_and_writes_nothing()
    {
        var policies = _work.Combine("policies", "identity");
        Directory.CreateDirectory(policies);
        await File.WriteAllTextAsync(Path.Combine(policies, "opd.yaml"), "opds:\n  - code: DISKOMINFO\n    name: Dinas Kominfo\n    kind: dinas\n  - code: DISKOMINFO\n    name: Lagi\n    kind: dinas\n");

        using var host = HostProcess.Start(_work.Path);

        Assert.Equal(1, await host.WaitForExitAsync());
        Assert.Contains("POL-0005: policies/identity/opd.yaml:5:", host.Output, StringComparison.Ordinal);
        Assert.Contains("already used on line 2", host.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", host.Output, StringComparison.Ordinal);
        var log = await File.ReadAllTextAsync(Assert.Single(Directory.GetFiles(Path.Combine(DataPath, "logs"), "spbe-*.clef")));
        Assert.Contains("POL-0005", log, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(DataPath, "keys", "master.key")));
        Assert.False(File.Exists(Path.Combine(DataPath, "spbe-data.json")));
        Assert.False(File.Exists(Path.Combine(DataPath, "identity.db")));
    }

    [Fact]
    public async Task Damaged_master_key_stops_the_host_and_is_left_untouched()
    {
        Directory.CreateDirectory(Path.Combine(DataPath, "keys"));
        var keyFile = Path.Combine(DataPath, "keys", "master.key");
        await File.WriteAllTextAsync(keyFile, "this is not a key\n");

        using var host = HostProcess.Start(_work.Path);

        Assert.Equal(1, await host.WaitForExitAsync());
        Assert.Contains("DATA-0003", host.Output, StringComparison.Ordinal);
        Assert.Equal("this is not a key\n", await File.ReadAllTextAsync(keyFile));
    }

    [Fact]
    public async Task A_data_path_that_is_a_file_stops_the_host()
    {
        await File.WriteAllTextAsync(DataPath, "x");

        using var host = HostProcess.Start(_work.Path);

        Assert.Equal(1, await host.WaitForExitAsync());
        Assert.Contains("DATA-0001", host.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invalid_configuration_is_reported_with_every_problem()
    {
        using var host = HostProcess.Start(_work.Path, new Dictionary<string, string>
        {
            ["Host__BindAddress"] = "not-an-ip",
            ["Soc__SyslogTlsPort"] = "6514",
            ["Soc__RelpPort"] = "6514",
        });

        Assert.Equal(1, await host.WaitForExitAsync());
        Assert.Contains("HOST-0001: Host:BindAddress 'not-an-ip' is not an IP address.", host.Output, StringComparison.Ordinal);
        Assert.Contains("Soc:SyslogTlsPort and Soc:RelpPort both use TCP port 6514.", host.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_port_in_use_is_reported_with_its_code()
    {
        using var blocker = new TcpListener(IPAddress.Loopback, 0);
        blocker.Start();
        var port = ((IPEndPoint)blocker.LocalEndpoint).Port;

        using var host = HostProcess.Start(_work.Path, new Dictionary<string, string> { ["Host__HttpPort"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture) });

        Assert.Equal(1, await host.WaitForExitAsync());
        Assert.Contains("HOST-0003", host.Output, StringComparison.Ordinal);
    }
}
