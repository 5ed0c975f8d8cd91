namespace Spbe.Security.Testing;

/// <summary>Paths inside the repository and to the shared data beside it (<c>../shared</c>).</summary>
public static class RepositoryPaths
{
    private static readonly Lazy<string> RootPath = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Spbe.Security.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No Spbe.Security.sln above {AppContext.BaseDirectory}.");
    });

    /// <summary>The repository root (the folder of Spbe.Security.sln).</summary>
    public static string Root => RootPath.Value;

    /// <summary>The real <c>policies/</c> folder.</summary>
    public static string Policies => Path.Combine(Root, "policies");

    /// <summary>The shared data and peers beside the repository (<c>../shared</c>); may be absent on a bare clone.</summary>
    public static string Shared => Path.GetFullPath(Path.Combine(Root, "..", "shared"));

    /// <summary>The build output of another project of the solution, e.g. <c>Spbe.Security.Host</c>.</summary>
    public static string BuildOutput(string projectName)
    {
        // Note: artifacts/bin/<project>/<configuration>/ (UseArtifactsOutput); the test runs in the same configuration.
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Name;
        return Path.Combine(Root, "artifacts", "bin", projectName, configuration);
    }
}
