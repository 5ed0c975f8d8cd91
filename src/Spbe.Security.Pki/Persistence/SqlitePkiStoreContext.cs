using Microsoft.EntityFrameworkCore;

namespace Spbe.Security.Pki.Persistence;

/// <summary>The PKI store on SQLite; owns <c>Migrations/Sqlite</c>.</summary>
public sealed class SqlitePkiStoreContext : PkiStoreContext
{
    /// <summary>Creates the context.</summary>
    public SqlitePkiStoreContext(DbContextOptions options)
        : base(options)
    {
    }
}
