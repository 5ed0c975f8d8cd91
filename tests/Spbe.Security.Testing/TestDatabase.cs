using Npgsql;

namespace Spbe.Security.Testing;

/// <summary>
/// The relational engine for one test: SQLite in the test's data directory (default), or a fresh PostgreSQL database
/// dropped afterwards when the leg runs with <c>SPBE_TEST_DB=postgres</c>.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private readonly string? _adminConnectionString;
    private readonly string? _databaseName;

    private TestDatabase(string? adminConnectionString, string? databaseName, string? connectionString)
    {
        _adminConnectionString = adminConnectionString;
        _databaseName = databaseName;
        PostgresConnectionString = connectionString;
    }

    /// <summary>The PostgreSQL connection string, or <see langword="null"/> on SQLite.</summary>
    public string? PostgresConnectionString { get; }

    /// <summary>Configuration entries that select this engine.</summary>
    public IEnumerable<KeyValuePair<string, string?>> Settings =>
        PostgresConnectionString is null ? [] : [new("ConnectionStrings:Postgres", PostgresConnectionString)];

    /// <summary>Creates the database for the engine of this leg.</summary>
    public static Task<TestDatabase> CreateAsync() =>
        TestEnvironment.UsePostgres ? CreatePostgresAsync() : Task.FromResult(new TestDatabase(null, null, null));

    /// <summary>Creates a fresh PostgreSQL database regardless of the leg (for tests that are about PostgreSQL).</summary>
    public static async Task<TestDatabase> CreatePostgresAsync()
    {
        var admin = TestEnvironment.PostgresConnectionString
            ?? throw new InvalidOperationException($"{TestEnvironment.PostgresVariable} is not set: start PostgreSQL (see .ci/run).");
        var name = "spbe_test_" + Guid.NewGuid().ToString("N");
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await command.ExecuteNonQueryAsync();
        }

        var builder = new NpgsqlConnectionStringBuilder(admin) { Database = name };
        return new TestDatabase(admin, name, builder.ConnectionString);
    }

    public async ValueTask DisposeAsync()
    {
        if (_databaseName is null)
        {
            return;
        }

        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(_adminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{_databaseName}\" WITH (FORCE)", connection);
        await command.ExecuteNonQueryAsync();
    }
}
