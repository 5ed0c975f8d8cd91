using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Spbe.Security.Data;
using Spbe.Security.Testing;

namespace Spbe.Security.Identity.Persistence;

/// <summary>Runs on SQLite, and on PostgreSQL in the CI leg that sets SPBE_TEST_DB=postgres.</summary>
[Trait("Category", "Database")]
public sealed class IdentityStoreTests : IAsyncLifetime
{
    private readonly TempDirectory _temp = new();
    private TestDatabase _database = null!;

    public async Task InitializeAsync() => _database = await TestDatabase.CreateAsync();

    public async Task DisposeAsync()
    {
        await _database.DisposeAsync();
        _temp.Dispose();
    }

    private IHost BuildHost(string? policies = null)
    {
        var builder = TestHosts.CreateBuilder(_temp.Combine("data"), policies, _database.Settings);
        builder.AddSpbeIdentity();
        return builder.Build();
    }

    private string WritePolicies(string yaml)
    {
        var root = _temp.Combine("policies");
        Directory.CreateDirectory(Path.Combine(root, "identity"));
        File.WriteAllText(Path.Combine(root, "identity", "opd.yaml"), yaml);
        return root;
    }

    private static async Task<List<OpdRecord>> ReadOpdsAsync(IHost host)
    {
        await using var context = await host.Services.GetRequiredService<IDbContextFactory<IdentityStoreContext>>().CreateDbContextAsync();
        return await context.Opds.OrderBy(o => o.Code).ToListAsync();
    }

    [Fact]
    public async Task Initialising_migrates_and_seeds_every_opd_of_the_real_policy()
    {
        using var host = BuildHost();

        await host.Services.GetRequiredService<DataDirectoryInitializer>().InitializeAsync();

        var rows = await ReadOpdsAsync(host);
        Assert.Equal(host.Services.GetRequiredService<Spbe.Security.Identity.Organizations.OpdCatalog>().All.Count, rows.Count);
        Assert.Contains(rows, r => r.Code == "DISKOMINFO" && r.Kind == "dinas" && r.Active && r.InPolicy);
        Assert.Null(await host.Services.GetServices<IDataStore>().Single(s => s.Name == IdentityStoreContext.StoreName).CheckAsync());
    }

    [Fact]
    public async Task Seeding_is_idempotent_and_follows_policy_changes_without_deleting()
    {
        var policies = WritePolicies("opds:\n  - {code: AAA, name: Satu, kind: dinas}\n  - {code: BBB, name: Dua, kind: badan}\n");
        using (var host = BuildHost(policies))
        {
            await host.Services.GetRequiredService<DataDirectoryInitializer>().InitializeAsync();
            var again = await host.Services.GetRequiredService<DataDirectoryInitializer>().InitializeAsync();
            Assert.Contains(again.Steps, s => s.Item == "OPD table" && s.Action == InitializationAction.Kept);
        }

        WritePolicies("opds:\n  - {code: AAA, name: Satu Baru, kind: dinas}\n  - {code: CCC, name: Tiga, kind: kecamatan}\n");
        using (var host = BuildHost(policies))
        {
            var report = await host.Services.GetRequiredService<DataDirectoryInitializer>().InitializeAsync();
            Assert.Contains(report.Steps, s => s.Item == "OPD table" && s.Detail.EndsWith("1 added, 1 updated, 1 retired", StringComparison.Ordinal));

            var rows = await ReadOpdsAsync(host);
            Assert.Equal(["AAA", "BBB", "CCC"], rows.Select(r => r.Code));
            Assert.Equal("Satu Baru", rows[0].Name);
            Assert.False(rows[1].Active);
            Assert.False(rows[1].InPolicy);
        }
    }

    [Fact]
    public async Task Readiness_reports_a_store_that_was_never_migrated()
    {
        using var host = BuildHost();

        var problem = await host.Services.GetServices<IDataStore>().Single(s => s.Name == IdentityStoreContext.StoreName).CheckAsync();

        Assert.NotNull(problem);
    }
}
