using BenchmarkDotNet.Attributes;
using Spbe.Security.Identity.Organizations;
using Spbe.Security.Policies;

namespace Spbe.Security.Benchmarks;

/// <summary>Reading and validating policies/identity/opd.yaml, part of every start.</summary>
[MemoryDiagnoser]
public class PolicyBenchmarks
{
    private readonly PolicyDirectory _policies = new(FindPolicies());

    [Benchmark]
    public int LoadOpdCatalog() => new OpdCatalog(_policies).Load().Count;

    private static string FindPolicies()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "policies");
            if (File.Exists(Path.Combine(candidate, OpdCatalog.FileName)))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException("policies/ not found above the benchmark binaries");
    }
}
