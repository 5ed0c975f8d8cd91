using Microsoft.Extensions.Configuration;
using Spbe.Security.Data;

namespace Spbe.Security.Persistence;

public sealed class DatabaseSettingsTests
{
    private static DatabaseSettings Settings(string? postgres) =>
        new(new ConfigurationBuilder().AddInMemoryCollection([new("ConnectionStrings:Postgres", postgres)]).Build(), new DataDirectory("/srv/spbe/data"));

    [Fact]
    public void Sqlite_by_default_with_one_file_per_store()
    {
        var settings = Settings(null);

        Assert.Equal(DatabaseProvider.Sqlite, settings.Provider);
        Assert.Equal("/srv/spbe/data/identity.db", settings.SqliteFile("identity"));
        Assert.Contains("/srv/spbe/data/identity.db", settings.ConnectionString("identity"), StringComparison.Ordinal);
    }

    [Fact]
    public void Postgres_when_configured_and_described_without_credentials()
    {
        var settings = Settings("Host=db.internal;Port=5433;Database=spbe;Username=spbe;Password=hunter2");

        Assert.Equal(DatabaseProvider.Postgres, settings.Provider);
        Assert.Null(settings.SqliteFile("identity"));
        Assert.Equal("PostgreSQL db.internal:5433/spbe schema identity", settings.Describe("identity"));
        Assert.DoesNotContain("hunter2", settings.Describe("identity"), StringComparison.Ordinal);
    }
}
