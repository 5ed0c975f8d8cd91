using Microsoft.EntityFrameworkCore;

namespace Spbe.Security.Identity.Persistence;

/// <summary>The Identity store on SQLite; owns <c>Migrations/Sqlite</c>.</summary>
public sealed class SqliteIdentityStoreContext : IdentityStoreContext
{
    /// <summary>Creates the context.</summary>
    public SqliteIdentityStoreContext(DbContextOptions options)
        : base(options)
    {
    }
}
