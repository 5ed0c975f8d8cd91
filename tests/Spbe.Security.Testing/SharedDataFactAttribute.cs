using Xunit;

namespace Spbe.Security.Testing;

/// <summary>
/// A test that reads ../shared (the corpus of PDFs, logs, the Wazuh ruleset, the oracle scripts). On a clone without
/// ../shared it is skipped and says so; under CI=true it always runs (and fails if the data is missing).
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class SharedDataFactAttribute : FactAttribute
{
    public SharedDataFactAttribute()
    {
        if (!Directory.Exists(RepositoryPaths.Shared) && !TestEnvironment.IsCi)
        {
            Skip = $"needs the shared data at {RepositoryPaths.Shared} (present in CI)";
        }
    }
}

/// <summary>The theory form of <see cref="SharedDataFactAttribute"/>.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class SharedDataTheoryAttribute : TheoryAttribute
{
    public SharedDataTheoryAttribute()
    {
        if (!Directory.Exists(RepositoryPaths.Shared) && !TestEnvironment.IsCi)
        {
            Skip = $"needs the shared data at {RepositoryPaths.Shared} (present in CI)";
        }
    }
}
