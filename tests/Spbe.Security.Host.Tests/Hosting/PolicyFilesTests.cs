using Microsoft.Extensions.DependencyInjection;
using Spbe.Security.Policies;
using Spbe.Security.Testing;

namespace Spbe.Security.Host.Hosting;

/// <summary>The real files in policies/ load with the host's composition, and none is left unvalidated.</summary>
public sealed class PolicyFilesTests
{
    [Fact]
    public async Task Every_real_policy_file_is_claimed_by_a_source_and_valid()
    {
        await using var database = await TestDatabase.CreateAsync();
        using var factory = new SpbeHostFactory(database);
        var sources = factory.Services.GetServices<IPolicySource>().ToList();

        Assert.NotEmpty(new PolicyValidator(sources).LoadAll());

        var unclaimed = Directory.EnumerateFiles(RepositoryPaths.Policies, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(RepositoryPaths.Policies, f).Replace('\\', '/'))
            .Where(f => !f.EndsWith(".md", StringComparison.Ordinal))
            .Where(f => !sources.SelectMany(s => s.Files).Any(pattern => Matches(pattern, f)))
            .ToList();
        Assert.Empty(unclaimed);
    }

    private static bool Matches(string pattern, string file)
    {
        var star = pattern.IndexOf('*', StringComparison.Ordinal);
        if (star < 0)
        {
            return pattern == file;
        }

        var (prefix, suffix) = (pattern[..star], pattern[(star + 1)..]);
        return file.StartsWith(prefix, StringComparison.Ordinal) && file.EndsWith(suffix, StringComparison.Ordinal)
            && !file[prefix.Length..^suffix.Length].Contains('/', StringComparison.Ordinal);
    }
}
