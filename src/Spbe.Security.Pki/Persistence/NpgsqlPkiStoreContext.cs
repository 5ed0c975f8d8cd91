using Microsoft.EntityFrameworkCore;

namespace Spbe.Security.Pki.Persistence;

/// <summary>The PKI store on PostgreSQL, in schema <c>pki</c>; owns <c>Migrations/Postgres</c>.</summary>
public sealed class NpgsqlPkiStoreContext : PkiStoreContext
{
    /// <summary>Creates the context.</summary>
    public NpgsqlPkiStoreContext(DbContextOptions options)
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
