using Microsoft.EntityFrameworkCore;

namespace Spbe.Security.Persistence;

/// <summary>How one store's context is built for each engine.</summary>
/// <typeparam name="TContext">The engine-neutral base context the code uses.</typeparam>
/// <param name="StoreName">The store's name: the SQLite file name and the PostgreSQL schema.</param>
/// <param name="CreateSqlite">Creates the SQLite-specific context (it owns the SQLite migrations).</param>
/// <param name="CreatePostgres">Creates the PostgreSQL-specific context (it owns the PostgreSQL migrations).</param>
/// <param name="Configure">Extra options for both engines (e.g. OpenIddict's entities).</param>
public sealed record SpbeStoreRegistration<TContext>(
    string StoreName,
    Func<DbContextOptions<TContext>, TContext> CreateSqlite,
    Func<DbContextOptions<TContext>, TContext> CreatePostgres,
    Action<DbContextOptionsBuilder>? Configure = null)
    where TContext : DbContext;
