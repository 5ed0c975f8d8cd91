using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Spbe.Security.Identity.Accounts;
using Spbe.Security.Identity.Organizations;

namespace Spbe.Security.Identity.Persistence;

/// <summary>
/// The Identity capability's relational store: ASN accounts and roles (ASP.NET Core Identity), OpenIddict's
/// applications, authorizations, scopes and tokens, and the OPDs. The engine-specific subclasses exist only to carry
/// their own migrations; all code uses this type.
/// </summary>
/// <remarks>
/// The Identity schema version (3: with passkeys) comes from <see cref="IdentityOptions"/> in the application service
/// provider; <see cref="IdentityStoreSchema.Configure"/> sets it, at run time and at design time alike.
/// </remarks>
public abstract class IdentityStoreContext : IdentityDbContext<AsnUser, IdentityRole<Guid>, Guid>
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
    protected override void OnModelCreating(ModelBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        base.OnModelCreating(builder);
        builder.UseOpenIddict();
        builder.Entity<AsnUser>(user =>
        {
            user.Property(u => u.DisplayName).HasMaxLength(200);
            user.Property(u => u.OpdCode).HasMaxLength(32);
            user.Property(u => u.Jabatan).HasMaxLength(200);
            user.HasIndex(u => u.OpdCode);
            user.HasOne<OpdRecord>().WithMany().HasForeignKey(u => u.OpdCode).OnDelete(DeleteBehavior.Restrict);
        });
        builder.Entity<OpdRecord>(opd =>
        {
            opd.ToTable("opd");
            opd.HasKey(o => o.Code);
            opd.Property(o => o.Code).HasMaxLength(32);
            opd.Property(o => o.Name).HasMaxLength(OpdCatalog.MaxNameLength);
            opd.Property(o => o.Kind).HasMaxLength(32);
        });
    }
}
