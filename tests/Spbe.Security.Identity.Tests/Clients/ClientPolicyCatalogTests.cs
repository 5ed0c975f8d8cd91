using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenIddict.Abstractions;
using Spbe.Security.Data;
using Spbe.Security.Policies;
using Spbe.Security.Testing;

namespace Spbe.Security.Identity.Clients;

[Trait("Category", "Database")]
public sealed class ClientPolicyCatalogTests : IAsyncLifetime
{
    private const string Portal = """
        {
          "clientId": "portal-bappeda",
          "displayName": "Portal Perencanaan",
          "type": "confidential",
          "secretVariable": "SPBE_PORTAL_BAPPEDA_SECRET",
          "grants": ["authorization_code", "refresh_token"],
          "redirectUris": ["https://portal.bappeda.kota.go.id/signin-oidc"],
          "scopes": ["profile", "opd"]
        }
        """;

    private readonly TempDirectory _temp = new();
    private TestDatabase _database = null!;

    public async Task InitializeAsync() => _database = await TestDatabase.CreateAsync();

    public async Task DisposeAsync()
    {
        await _database.DisposeAsync();
        _temp.Dispose();
    }

    private string Policies(params (string Name, string Json)[] clients)
    {
        var root = _temp.Combine("policies");
        Directory.CreateDirectory(Path.Combine(root, "identity", "clients"));
        File.Copy(Path.Combine(RepositoryPaths.Policies, "identity", "opd.yaml"), Path.Combine(root, "identity", "opd.yaml"), overwrite: true);
        foreach (var file in Directory.GetFiles(Path.Combine(root, "identity", "clients")))
        {
            File.Delete(file);
        }

        foreach (var (name, json) in clients)
        {
            File.WriteAllText(Path.Combine(root, "identity", "clients", name), json);
        }

        return root;
    }

    private static IReadOnlyList<PolicyError> Load(string root) => new ClientPolicyCatalog(new PolicyDirectory(root)).Load();

    [Fact]
    public void Valid_files_load_and_no_folder_means_no_clients()
    {
        var catalog = new ClientPolicyCatalog(new PolicyDirectory(Policies(("portal.json", Portal))));

        Assert.Empty(catalog.Load());
        var client = Assert.Single(catalog.Clients);
        Assert.Equal("portal-bappeda", client.Registration.ClientId);
        Assert.Equal("SPBE_PORTAL_BAPPEDA_SECRET", client.SecretVariable);
        Assert.Empty(new ClientPolicyCatalog(new PolicyDirectory(_temp.Combine("nothing-here"))).Load());
    }

    [Theory]
    [InlineData("{ \"clientId\": \"a\", \"type\": \"confidential\", \"grants\": [\"client_credentials\"] }", 1, "secretVariable")]
    [InlineData("{ \"clientId\": \"a\", \"type\": \"publik\", \"grants\": [\"client_credentials\"] }", 1, "'type' is 'public' or 'confidential'")]
    [InlineData("{\n  \"clientId\": \"a\",\n  \"type\": \"public\",\n  \"grant\": [\"authorization_code\"]\n}", 4, "unknown key 'grant'")]
    [InlineData("{\n  \"clientId\": \"a\",\n  \"type\": \"public\",\n  \"grants\": [\"implicit\"]\n}", 1, "grants must be among")]
    [InlineData("{\n  \"clientId\": \"a\",\n  \"type\": \"public\",\n  \"grants\": [\"authorization_code\"],\n  \"redirectUris\": [\"http://app.kota.go.id/cb\"]\n}", 1, "https")]
    [InlineData("{\n  \"clientId\": \"a\",\n  \"type\": \"public\"\n  \"grants\": []\n}", 4, "not well-formed")]
    public void Mistakes_are_reported_with_file_line_and_reason(string json, int line, string reason)
    {
        var errors = Load(Policies(("app.json", json)));

        Assert.All(errors, e => Assert.Equal("policies/identity/clients/app.json", e.File));
        Assert.Contains(errors, e => e.Line == line && e.Reason.Contains(reason, StringComparison.Ordinal));
    }

    [Fact]
    public void The_same_client_id_in_two_files_is_refused()
    {
        var error = Assert.Single(Load(Policies(("a.json", Portal), ("b.json", Portal))));

        Assert.Equal(PolicyErrors.Duplicate, error.Code);
        Assert.Equal("policies/identity/clients/b.json", error.File);
    }

    [Fact]
    public async Task Declared_clients_are_created_kept_and_updated_by_initialisation()
    {
        var root = Policies(("portal.json", Portal));
        var secret = "rahasia-portal-bappeda-dari-brankas-rahasia";
        IHost Host()
        {
            var builder = TestHosts.CreateBuilder(_temp.Combine("data"), root, [.. _database.Settings, new("SPBE_PORTAL_BAPPEDA_SECRET", secret)]);
            builder.AddSpbeIdentity();
            return builder.Build();
        }

        using (var host = Host())
        {
            var report = await host.Services.GetRequiredService<DataDirectoryInitializer>().InitializeAsync();
            Assert.Contains(report.Steps, s => s.Item == "client portal-bappeda" && s.Detail.StartsWith("created", StringComparison.Ordinal));
            await using var scope = host.Services.CreateAsyncScope();
            var applications = scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>();
            var application = await applications.FindByClientIdAsync("portal-bappeda");
            Assert.True(await applications.ValidateClientSecretAsync(application!, secret));
        }

        File.WriteAllText(Path.Combine(root, "identity", "clients", "portal.json"), Portal.Replace("signin-oidc", "masuk-oidc", StringComparison.Ordinal));
        using (var host = Host())
        {
            var report = await host.Services.GetRequiredService<DataDirectoryInitializer>().InitializeAsync();
            Assert.Contains(report.Steps, s => s.Item == "client portal-bappeda" && s.Detail.StartsWith("updated", StringComparison.Ordinal));
            await using var scope = host.Services.CreateAsyncScope();
            var applications = scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>();
            var application = await applications.FindByClientIdAsync("portal-bappeda");
            Assert.Equal("https://portal.bappeda.kota.go.id/masuk-oidc", Assert.Single(await applications.GetRedirectUrisAsync(application!)));
            Assert.True(await applications.ValidateClientSecretAsync(application!, secret));
        }
    }
}
