using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Spbe.Security.Keys;
using Spbe.Security.Policies;
using Spbe.Security.Testing;

namespace Spbe.Security.Data;

public sealed class DataDirectoryInitializerTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private string DataPath => _temp.Combine("data");

    private IHost BuildHost(IEnumerable<KeyValuePair<string, string?>>? settings = null, IPolicySource? policy = null)
    {
        var builder = TestHosts.CreateBuilder(DataPath, settings: settings);
        builder.AddSpbeCore();
        if (policy is not null)
        {
            builder.Services.AddSingleton(policy);
        }

        return builder.Build();
    }

    private async Task<InitializationReport> InitializeAsync(IEnumerable<KeyValuePair<string, string?>>? settings = null, IPolicySource? policy = null)
    {
        using var host = BuildHost(settings, policy);
        return await host.Services.GetRequiredService<DataDirectoryInitializer>().InitializeAsync();
    }

    private static string Snapshot(string root) => string.Join("\n",
        Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
            .Select(f => $"{Path.GetRelativePath(root, f)} {Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(f)))}"));

    [Fact]
    public async Task First_run_creates_the_layout_and_a_second_run_keeps_it_byte_for_byte()
    {
        var first = await InitializeAsync();
        var layout = new DataDirectory(DataPath);

        Assert.Equal(MasterKeySource.GeneratedFile, first.MasterKeySource);
        Assert.True(File.Exists(layout.GeneratedMasterKeyFile));
        Assert.True(File.Exists(layout.MarkerFile));
        Assert.True(Directory.Exists(layout.LogsDirectory));
        Assert.True(File.Exists(Path.Combine(layout.TlsDirectory, "https.crt")));
        Assert.Contains(first.Steps, s => s.Action == InitializationAction.Created && s.Item.EndsWith("keys/master.key", StringComparison.Ordinal));
        var before = Snapshot(DataPath);

        var second = await InitializeAsync();

        Assert.DoesNotContain(second.Steps, s => s.Action == InitializationAction.Created);
        Assert.Equal(before, Snapshot(DataPath));
    }

    [Fact]
    public async Task A_file_where_the_directory_should_be_is_refused()
    {
        await File.WriteAllTextAsync(DataPath, "not a directory");

        var error = await Assert.ThrowsAsync<SpbeException>(() => InitializeAsync());

        Assert.Equal(DataErrors.NotADirectory, error.Code);
        Assert.Equal("not a directory", await File.ReadAllTextAsync(DataPath));
    }

    [Fact]
    public async Task Lost_master_key_is_reported_and_never_replaced()
    {
        await InitializeAsync();
        var layout = new DataDirectory(DataPath);
        File.Delete(layout.GeneratedMasterKeyFile);
        var before = Snapshot(DataPath);

        var error = await Assert.ThrowsAsync<SpbeException>(() => InitializeAsync());

        Assert.Equal(DataErrors.MasterKeyMissing, error.Code);
        Assert.False(File.Exists(layout.GeneratedMasterKeyFile));
        Assert.Equal(before, Snapshot(DataPath));
    }

    [Fact]
    public async Task A_different_master_key_than_the_directory_was_made_with_is_refused()
    {
        await InitializeAsync();
        var before = Snapshot(DataPath);
        var otherKey = Convert.ToBase64String(new byte[32]);

        var error = await Assert.ThrowsAsync<SpbeException>(() => InitializeAsync([new("Spbe:MasterKey", otherKey)]));

        Assert.Equal(DataErrors.SealedFileUnreadable, error.Code);
        Assert.Equal(before, Snapshot(DataPath));
    }

    [Fact]
    public async Task A_supplied_master_key_is_used_and_no_key_file_is_written()
    {
        var key = Convert.ToBase64String(Enumerable.Repeat((byte)7, 32).ToArray());

        var report = await InitializeAsync([new("Spbe:MasterKey", key)]);

        Assert.Equal(MasterKeySource.Configuration, report.MasterKeySource);
        Assert.False(File.Exists(new DataDirectory(DataPath).GeneratedMasterKeyFile));
    }

    [Fact]
    public async Task Damaged_marker_is_reported_and_left_alone()
    {
        await InitializeAsync();
        var marker = new DataDirectory(DataPath).MarkerFile;
        await File.WriteAllTextAsync(marker, "{ not json");

        var error = await Assert.ThrowsAsync<SpbeException>(() => InitializeAsync());

        Assert.Equal(DataErrors.MarkerCorrupt, error.Code);
        Assert.Equal("{ not json", await File.ReadAllTextAsync(marker));
    }

    [Fact]
    public async Task Marker_from_a_newer_layout_is_refused()
    {
        await InitializeAsync();
        var marker = new DataDirectory(DataPath).MarkerFile;
        var content = JsonSerializer.Deserialize<Dictionary<string, object>>(await File.ReadAllTextAsync(marker))!;
        content["layout"] = 99;
        await File.WriteAllTextAsync(marker, JsonSerializer.Serialize(content));

        Assert.Equal(DataErrors.MarkerCorrupt, (await Assert.ThrowsAsync<SpbeException>(() => InitializeAsync())).Code);
    }

    [Fact]
    public async Task Damaged_https_certificate_is_reported_and_not_overwritten()
    {
        await InitializeAsync();
        var certificate = Path.Combine(new DataDirectory(DataPath).TlsDirectory, "https.crt");
        await File.WriteAllTextAsync(certificate, "-----BEGIN CERTIFICATE-----\ngarbage\n-----END CERTIFICATE-----\n");

        var error = await Assert.ThrowsAsync<SpbeException>(() => InitializeAsync());

        Assert.Equal(DataErrors.TlsCertificateCorrupt, error.Code);
        Assert.Contains("garbage", await File.ReadAllTextAsync(certificate), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invalid_policy_stops_initialisation_before_anything_is_written()
    {
        var policy = new BrokenPolicy();

        var error = await Assert.ThrowsAsync<PolicyException>(() => InitializeAsync(policy: policy));

        Assert.Equal("broken.yaml", Assert.Single(error.Errors).File);
        Assert.False(Directory.Exists(DataPath));
    }

    private sealed class BrokenPolicy : IPolicySource
    {
        public string Name => "broken";

        public IReadOnlyList<string> Files => ["broken.yaml"];

        public IReadOnlyList<PolicyError> Load() => YamlPolicyFile.FromText("broken.yaml", "a: [").Errors;
    }
}
