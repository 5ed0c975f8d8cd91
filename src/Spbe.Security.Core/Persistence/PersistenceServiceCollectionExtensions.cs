using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Spbe.Security.Persistence;

/// <summary>Registers a store's context for the configured engine.</summary>
public static class PersistenceServiceCollectionExtensions
{
    /// <summary>
    /// Registers <typeparamref name="TContext"/> (scoped) and <see cref="IDbContextFactory{TContext}"/> (singleton),
    /// built for SQLite or PostgreSQL according to <see cref="DatabaseSettings"/>. Safe to call more than once.
    /// </summary>
    public static IServiceCollection AddSpbeStore<TContext>(this IServiceCollection services, SpbeStoreRegistration<TContext> registration)
        where TContext : DbContext
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(registration);
        services.TryAddSingleton(registration);
        services.TryAddSingleton<IDbContextFactory<TContext>, SpbeDbContextFactory<TContext>>();
        services.TryAddScoped(sp => sp.GetRequiredService<IDbContextFactory<TContext>>().CreateDbContext());
        return services;
    }
}
