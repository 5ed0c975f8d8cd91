using Microsoft.EntityFrameworkCore;

namespace Spbe.Security.Identity.Persistence;

/// <summary>
/// The Identity capability's relational store. The engine-specific subclasses exist only to carry their own
/// migrations; all code uses this type.
/// </summary>
public abstract class IdentityStoreContext : DbContext
{
    /// <summary>The store name: <c>data/identity.db</c> on SQLite, schema <c>identity</c> on PostgreSQL.</summary>
    public const string StoreName = "identity";

    /// <summary>Creates the context.</summary>
    protected IdentityStoreContext(DbContextOptions options)
        : base(options)
    {
    }

    internal DbSet<OpdRecord> Opds => Set<OpdRecord>();

    /// <inheritdoc />
    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        ArgumentNullException.ThrowIfNull(modelBuilder);
        modelBuilder.Entity<OpdRecord>(opd =>
        {
            opd.ToTable("opd");
            opd.HasKey(o => o.Code);
            opd.Property(o => o.Code).HasMaxLength(32);
            opd.Property(o => o.Name).HasMaxLength(200);
            opd.Property(o => o.Kind).HasMaxLength(32);
        });
    }
}
