namespace Spbe.Security.Testing;

/// <summary>What the test run was given through the environment.</summary>
public static class TestEnvironment
{
    /// <summary>The variable holding an admin connection string to a PostgreSQL server for tests.</summary>
    public const string PostgresVariable = "SPBE_TEST_POSTGRES";

    /// <summary>The variable choosing the engine of the relational tests: <c>sqlite</c> (default) or <c>postgres</c>.</summary>
    public const string DatabaseVariable = "SPBE_TEST_DB";

    /// <summary>Whether this is a CI run (<c>CI=true</c>): nothing may be skipped there.</summary>
    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>The PostgreSQL admin connection string, when given.</summary>
    public static string? PostgresConnectionString => Environment.GetEnvironmentVariable(PostgresVariable) is { Length: > 0 } cs ? cs : null;

    /// <summary>Whether relational tests run on PostgreSQL in this leg.</summary>
    public static bool UsePostgres => string.Equals(Environment.GetEnvironmentVariable(DatabaseVariable), "postgres", StringComparison.OrdinalIgnoreCase);
}
