using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Spbe.Security.Pki.Persistence;

/// <summary>Lets <c>dotnet ef migrations add</c> build the SQLite context (no database is touched).</summary>
internal sealed class SqlitePkiStoreDesignTimeFactory : IDesignTimeDbContextFactory<SqlitePkiStoreContext>
{
    public SqlitePkiStoreContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PkiStoreContext>().UseSqlite("Data Source=design-time.db").Options);
}

/// <summary>Lets <c>dotnet ef migrations add</c> build the PostgreSQL context (no database is touched).</summary>
internal sealed class NpgsqlPkiStoreDesignTimeFactory : IDesignTimeDbContextFactory<NpgsqlPkiStoreContext>
{
    public NpgsqlPkiStoreContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PkiStoreContext>()
            .UseNpgsql("Host=localhost;Database=design_time", o => o.MigrationsHistoryTable("__EFMigrationsHistory", PkiStoreContext.StoreName))
            .Options);
}
