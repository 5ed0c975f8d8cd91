using Xunit;

namespace Spbe.Security.Testing;

/// <summary>
/// A fact that needs a PostgreSQL server (<c>SPBE_TEST_POSTGRES</c>). Skipped on a developer machine without one;
/// never skipped under <c>CI=true</c>, where a missing server makes it fail (CONVENTIONS.md C15).
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute()
    {
        if (TestEnvironment.PostgresConnectionString is null && !TestEnvironment.IsCi)
        {
            Skip = $"needs PostgreSQL: set {TestEnvironment.PostgresVariable} (always runs under CI=true)";
        }
    }
}
