using Microsoft.EntityFrameworkCore;

namespace Spbe.Security.Identity.Persistence;

/// <summary>The Identity store on PostgreSQL, in schema <c>identity</c>; owns <c>Migrations/Postgres</c>.</summary>
public sealed class NpgsqlIdentityStoreContext : IdentityStoreContext
{
    /// <summary>Creates the context.</summary>
    public NpgsqlIdentityStoreContext(DbContextOptions options)
        : base(options)
    {
    }

    /// <inheritdoc />
    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        ArgumentNullException.ThrowIfNull(modelBuilder);
        modelBuilder.HasDefaultSchema(StoreName);
        base.OnModelCreating(modelBuilder);
    }
}
