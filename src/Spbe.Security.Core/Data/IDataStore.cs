namespace Spbe.Security.Data;

/// <summary>
/// A capability's persistent store (a database, a WAL): created and migrated by the data-directory initialiser and
/// checked by the readiness probe.
/// </summary>
public interface IDataStore
{
    /// <summary>The store's name, e.g. <c>identity</c>.</summary>
    string Name { get; }

    /// <summary>Creates or migrates the store and seeds it from policies; idempotent.</summary>
    /// <exception cref="SpbeException">The store cannot be opened or migrated (code <c>DATA-0008</c>).</exception>
    Task<IReadOnlyList<InitializationStep>> InitializeAsync(CancellationToken cancellationToken = default);

    /// <summary>Checks that the store answers and is fully migrated.</summary>
    /// <returns><see langword="null"/> when ready, otherwise why not.</returns>
    Task<string?> CheckAsync(CancellationToken cancellationToken = default);
}
