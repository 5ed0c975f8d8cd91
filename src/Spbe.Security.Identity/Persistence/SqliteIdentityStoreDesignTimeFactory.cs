using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Spbe.Security.Identity.Persistence;

/// <summary>Lets <c>dotnet ef migrations add</c> build the SQLite context (no database is touched).</summary>
internal sealed class SqliteIdentityStoreDesignTimeFactory : IDesignTimeDbContextFactory<SqliteIdentityStoreContext>
{
    public SqliteIdentityStoreContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<IdentityStoreContext>()
            .UseSqlite("Data Source=design-time.db")
            .UseApplicationServiceProvider(IdentityStoreSchema.DesignTimeServices())
            .Options);
}
