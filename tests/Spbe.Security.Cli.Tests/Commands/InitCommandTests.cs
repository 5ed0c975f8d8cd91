using System.Text.Json;
using Spbe.Security.Testing;

namespace Spbe.Security.Cli.Commands;

public sealed class InitCommandTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private string DataPath => _temp.Combine("data");

    [Fact]
    public async Task Creates_the_data_directory_and_prints_what_it_made()
    {
        var run = await CliRun.RunAsync("init", "--data", DataPath);

        Assert.Equal(0, run.ExitCode);
        Assert.StartsWith($"Data directory {DataPath}", run.Out, StringComparison.Ordinal);
        Assert.Matches(@"created\s+data/keys/master\.key\s+development master key [0-9a-f]{16}", run.Out);
        Assert.Matches(@"created\s+data/tls/https\.crt\s+HTTPS certificate", run.Out);
        Assert.Matches(@"created\s+identity store\s+SQLite .*identity\.db, \d+ migration\(s\) applied", run.Out);
        var opds = new Spbe.Security.Identity.Organizations.OpdCatalog(new Spbe.Security.Policies.PolicyDirectory(RepositoryPaths.Policies)).All.Count;
        Assert.Matches($@"updated\s+OPD table\s+{opds} in identity/opd\.yaml: {opds} added", run.Out);
        Assert.True(File.Exists(Path.Combine(DataPath, "identity.db")));
        Assert.Contains("DATA-0010", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Running_it_again_keeps_everything_and_reports_json()
    {
        await CliRun.RunAsync("init", "--data", DataPath);
        var key = await File.ReadAllTextAsync(Path.Combine(DataPath, "keys", "master.key"));

        var run = await CliRun.RunAsync("--data", DataPath, "init", "--json");

        Assert.Equal(0, run.ExitCode);
        using var report = JsonDocument.Parse(run.Out);
        Assert.Equal(DataPath, report.RootElement.GetProperty("dataDirectory").GetString());
        Assert.Equal("GeneratedFile", report.RootElement.GetProperty("masterKeySource").GetString());
        Assert.All(report.RootElement.GetProperty("steps").EnumerateArray(), s => Assert.Equal("kept", s.GetProperty("action").GetString()));
        Assert.Equal(key, await File.ReadAllTextAsync(Path.Combine(DataPath, "keys", "master.key")));
    }

    [Fact]
    public async Task A_damaged_data_directory_fails_with_one_coded_line_and_is_left_alone()
    {
        await CliRun.RunAsync("init", "--data", DataPath);
        var marker = Path.Combine(DataPath, "spbe-data.json");
        await File.WriteAllTextAsync(marker, "[]");

        var run = await CliRun.RunAsync("init", "--data", DataPath);

        Assert.Equal(ExitCodes.Failure, run.ExitCode);
        var line = Assert.Single(run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("spbe: DATA-0007: ", line, StringComparison.Ordinal);
        Assert.Empty(run.Out);
        Assert.Equal("[]", await File.ReadAllTextAsync(marker));
    }

    [Fact]
    public async Task Invalid_configuration_lists_every_problem()
    {
        Environment.SetEnvironmentVariable("Soc__RelpPort", "6514");
        Environment.SetEnvironmentVariable("Pki__CaKeyAlgorithm", "dsa-1024");
        try
        {
            var run = await CliRun.RunAsync("init", "--data", DataPath);

            Assert.Equal(ExitCodes.Failure, run.ExitCode);
            Assert.Contains("spbe: CLI-0001: Soc:SyslogTlsPort and Soc:RelpPort both use TCP port 6514.", run.Error, StringComparison.Ordinal);
            Assert.Contains("spbe: CLI-0001: CaKeyAlgorithm: Pki:CaKeyAlgorithm must be one of", run.Error, StringComparison.Ordinal);
            Assert.False(Directory.Exists(DataPath));
        }
        finally
        {
            Environment.SetEnvironmentVariable("Soc__RelpPort", null);
            Environment.SetEnvironmentVariable("Pki__CaKeyAlgorithm", null);
        }
    }
}
