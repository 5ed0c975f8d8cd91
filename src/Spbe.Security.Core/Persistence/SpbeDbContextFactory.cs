using Microsoft.EntityFrameworkCore;

namespace Spbe.Security.Persistence;

/// <summary>
/// Creates a store's context for the configured engine. Each store has one context type per engine (they carry
/// separate migrations) behind a common base type, which is what the rest of the code uses.
/// </summary>
internal sealed class SpbeDbContextFactory<TContext> : IDbContextFactory<TContext>
    where TContext : DbContext
{
    private readonly Func<DbContextOptions<TContext>, TContext> _create;
    private readonly DbContextOptions<TContext> _options;

    public SpbeDbContextFactory(DatabaseSettings settings, SpbeStoreRegistration<TContext> registration, IServiceProvider services)
    {
        var builder = new DbContextOptionsBuilder<TContext>();
        var connectionString = settings.ConnectionString(registration.StoreName);
        if (settings.Provider == DatabaseProvider.Postgres)
        {
            builder.UseNpgsql(connectionString, npgsql => npgsql.MigrationsHistoryTable("__EFMigrationsHistory", registration.StoreName));
            _create = registration.CreatePostgres;
        }
        else
        {
            builder.UseSqlite(connectionString);
            _create = registration.CreateSqlite;
        }

        // Note: stores read options (e.g. ASP.NET Core Identity's schema version) from the application's services.
        builder.UseApplicationServiceProvider(services);

        // Note: checking for model changes without a migration builds the full design-time model (about a second
        // at every first start); a test per store checks it instead (HasPendingModelChanges).
        builder.ConfigureWarnings(w => w.Ignore(Microsoft.EntityFrameworkCore.Diagnostics.RelationalEventId.PendingModelChangesWarning));
        registration.Configure?.Invoke(builder);
        _options = builder.Options;
    }

    public TContext CreateDbContext() => _create(_options);
}
