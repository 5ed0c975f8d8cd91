using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace Spbe.Security.Testing;

/// <summary>Builds a generic host over a temporary data directory, the way the CLI and host compose capabilities.</summary>
public static class TestHosts
{
    /// <summary>Creates a builder whose data directory is <paramref name="dataDirectory"/> and whose policies are
    /// <paramref name="policiesDirectory"/> (the real ones by default).</summary>
    public static HostApplicationBuilder CreateBuilder(
        string dataDirectory,
        string? policiesDirectory = null,
        IEnumerable<KeyValuePair<string, string?>>? settings = null)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Test" });
        builder.Configuration.AddInMemoryCollection(
        [
            new("Spbe:DataDirectory", dataDirectory),
            new("Spbe:PoliciesDirectory", policiesDirectory ?? RepositoryPaths.Policies),
            .. settings ?? [],
        ]);
        return builder;
    }
}
