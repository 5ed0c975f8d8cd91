namespace Spbe.Security.Persistence;

/// <summary>The relational engine behind the stores.</summary>
public enum DatabaseProvider
{
    /// <summary>One SQLite file per store under the data directory (the embedded default).</summary>
    Sqlite,

    /// <summary>One PostgreSQL database, one schema per store; chosen when <c>ConnectionStrings:Postgres</c> is set.</summary>
    Postgres,
}
