using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Spbe.Security.Soc.Incidents.Persistence;

/// <summary>Lets <c>dotnet ef migrations add</c> build the SQLite context (no database is touched).</summary>
internal sealed class SqliteIncidentStoreDesignTimeFactory : IDesignTimeDbContextFactory<SqliteIncidentStoreContext>
{
    public SqliteIncidentStoreContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<IncidentStoreContext>().UseSqlite("Data Source=design-time.db").Options);
}

/// <summary>Lets <c>dotnet ef migrations add</c> build the PostgreSQL context (no database is touched).</summary>
internal sealed class NpgsqlIncidentStoreDesignTimeFactory : IDesignTimeDbContextFactory<NpgsqlIncidentStoreContext>
{
    public NpgsqlIncidentStoreContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<IncidentStoreContext>()
            .UseNpgsql("Host=localhost;Database=design_time", o => o.MigrationsHistoryTable("__EFMigrationsHistory", IncidentStoreContext.StoreName))
            .Options);
}

/// <summary>Creates and migrates the incident store.</summary>
internal sealed class IncidentStore(IDbContextFactory<IncidentStoreContext> contexts, Spbe.Security.Persistence.DatabaseSettings settings)
    : Spbe.Security.Persistence.RelationalDataStore<IncidentStoreContext>(IncidentStoreContext.StoreName, contexts, settings);
