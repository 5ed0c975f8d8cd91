using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Spbe.Security.Data;

namespace Spbe.Security.Persistence;

/// <summary>
/// An <see cref="IDataStore"/> backed by an EF Core context: applies the engine's migrations, then lets the
/// capability seed it.
/// </summary>
/// <typeparam name="TContext">The store's engine-neutral context.</typeparam>
public abstract class RelationalDataStore<TContext> : IDataStore
    where TContext : DbContext
{
    private readonly IDbContextFactory<TContext> _contexts;
    private readonly DatabaseSettings _settings;

    /// <summary>Creates the store.</summary>
    protected RelationalDataStore(string name, IDbContextFactory<TContext> contexts, DatabaseSettings settings)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name;
        _contexts = contexts;
        _settings = settings;
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public async Task<IReadOnlyList<InitializationStep>> InitializeAsync(CancellationToken cancellationToken = default)
    {
        var steps = new List<InitializationStep>();
        var where = $"{_settings.Provider} store";
        try
        {
            where = _settings.Describe(Name);
            var sqliteFile = _settings.SqliteFile(Name);
            var existed = sqliteFile is null || File.Exists(sqliteFile);
            await using var context = await _contexts.CreateDbContextAsync(cancellationToken);
            if (_settings.Provider == DatabaseProvider.Sqlite)
            {
                // Note: WAL lets readers (readiness probe, CLI) run beside the host's writer; the mode persists in the file.
                await context.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
            }

            var pending = (await context.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
            if (pending.Count > 0)
            {
                await context.Database.MigrateAsync(cancellationToken);
            }

            var migrated = pending.Count == 0 ? "schema up to date" : $"{pending.Count} migration(s) applied";
            steps.Add(existed && pending.Count == 0
                ? InitializationStep.Kept($"{Name} store", $"{where}, {migrated}")
                : existed ? InitializationStep.Updated($"{Name} store", $"{where}, {migrated}")
                : InitializationStep.Created($"{Name} store", $"{where}, {migrated}"));

            await SeedAsync(context, steps, cancellationToken);
        }
        catch (Exception ex) when (ex is DbException or InvalidOperationException or DbUpdateException or ArgumentException)
        {
            // Note: an ArgumentException is a malformed connection string; its text is not repeated, it may hold a secret.
            var reason = ex is ArgumentException ? "the connection string is malformed" : ex.GetBaseException().Message.TrimEnd('.');
            throw new SpbeException(DataErrors.StoreUnavailable,
                $"the {Name} store ({where}) cannot be opened or migrated ({reason}); nothing was changed", ex);
        }

        return steps;
    }

    /// <inheritdoc />
    public async Task<string?> CheckAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            await using var context = await _contexts.CreateDbContextAsync(cancellationToken);
            var pending = await context.Database.GetPendingMigrationsAsync(cancellationToken);
            return pending.Any() ? $"{Name} store has pending migrations" : null;
        }
        catch (Exception ex) when (ex is DbException or InvalidOperationException)
        {
            return $"{Name} store unavailable: {ex.GetBaseException().Message}";
        }
    }

    /// <summary>Brings policy-driven rows up to date after migration. Must be idempotent.</summary>
    protected virtual Task SeedAsync(TContext context, List<InitializationStep> steps, CancellationToken cancellationToken) =>
        Task.CompletedTask;
}
