using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Spbe.Security.Identity.Persistence;

/// <summary>Lets <c>dotnet ef migrations add</c> build the PostgreSQL context (no database is touched).</summary>
internal sealed class NpgsqlIdentityStoreDesignTimeFactory : IDesignTimeDbContextFactory<NpgsqlIdentityStoreContext>
{
    public NpgsqlIdentityStoreContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<IdentityStoreContext>()
            .UseNpgsql("Host=localhost;Database=design_time", o => o.MigrationsHistoryTable("__EFMigrationsHistory", IdentityStoreContext.StoreName))
            .UseApplicationServiceProvider(IdentityStoreSchema.DesignTimeServices())
            .Options);
}
