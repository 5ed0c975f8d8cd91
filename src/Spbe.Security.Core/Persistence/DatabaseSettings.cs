using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Npgsql;
using Spbe.Security.Data;

namespace Spbe.Security.Persistence;

/// <summary>Which engine the stores use and how to reach it, read once from configuration.</summary>
public sealed class DatabaseSettings
{
    /// <summary>The connection string name that switches every store to PostgreSQL.</summary>
    public const string PostgresConnectionStringName = "Postgres";

    private readonly string? _postgres;
    private readonly DataDirectory _dataDirectory;

    /// <summary>Reads <c>ConnectionStrings:Postgres</c>; SQLite under <paramref name="dataDirectory"/> otherwise.</summary>
    public DatabaseSettings(IConfiguration configuration, DataDirectory dataDirectory)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        _postgres = configuration.GetConnectionString(PostgresConnectionStringName);
        _dataDirectory = dataDirectory;
    }

    /// <summary>The engine in use.</summary>
    public DatabaseProvider Provider =>
        string.IsNullOrWhiteSpace(_postgres) ? DatabaseProvider.Sqlite : DatabaseProvider.Postgres;

    /// <summary>The connection string of one store. Contains credentials for PostgreSQL: never log it.</summary>
    public string ConnectionString(string storeName) => Provider switch
    {
        DatabaseProvider.Postgres => _postgres!,
        _ => new SqliteConnectionStringBuilder
        {
            DataSource = _dataDirectory.DatabaseFile(storeName),
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
        }.ToString(),
    };

    /// <summary>The SQLite file of a store, or <see langword="null"/> on PostgreSQL.</summary>
    public string? SqliteFile(string storeName) =>
        Provider == DatabaseProvider.Sqlite ? _dataDirectory.DatabaseFile(storeName) : null;

    /// <summary>Where a store lives, without credentials, for logs and reports.</summary>
    public string Describe(string storeName)
    {
        if (Provider == DatabaseProvider.Sqlite)
        {
            return $"SQLite {_dataDirectory.DatabaseFile(storeName)}";
        }

        var builder = new NpgsqlConnectionStringBuilder(_postgres);
        return $"PostgreSQL {builder.Host}:{builder.Port}/{builder.Database} schema {storeName}";
    }
}
