using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Spbe.Security.Testing;

namespace Spbe.Security.Host.Hosting;

/// <summary>The host on PostgreSQL (<c>ConnectionStrings:Postgres</c>): one schema per store, migrated at start.</summary>
public sealed class PostgresHostTests
{
    [PostgresFact]
    public async Task Host_migrates_its_schemas_on_postgres_and_is_ready()
    {
        await using var database = await TestDatabase.CreatePostgresAsync();
        using var factory = new SpbeHostFactory(database);
        using var client = factory.CreateHttpClient();

        using var ready = await client.GetAsync(new Uri("/readyz", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.False(File.Exists(Path.Combine(factory.DataDirectory, "identity.db")));
        await using var connection = new NpgsqlConnection(database.PostgresConnectionString);
        await connection.OpenAsync();
        await using var count = new NpgsqlCommand("SELECT count(*) FROM identity.opd WHERE \"InPolicy\"", connection);
        var expected = factory.Services.GetRequiredService<Spbe.Security.Identity.Organizations.OpdCatalog>().All.Count;
        Assert.Equal((long)expected, await count.ExecuteScalarAsync());
    }
}
