using BenchmarkDotNet.Attributes;
using Spbe.Security.Identity.Organizations;
using Spbe.Security.Policies;
using Spbe.Security.Testing;

namespace Spbe.Security.Benchmarks;

/// <summary>Reading and validating policies/identity/opd.yaml, part of every start.</summary>
[MemoryDiagnoser]
public class PolicyBenchmarks
{
    private readonly PolicyDirectory _policies = new(RepositoryPaths.Policies);

    [Benchmark]
    public int LoadOpdCatalog() => new OpdCatalog(_policies).Load().Count;
}
