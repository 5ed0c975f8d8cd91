using Spbe.Security.Data;

namespace Spbe.Security.Policies;

/// <summary>The policies directory (identity/, pki/, soc/) and how its files are named in error messages.</summary>
public sealed class PolicyDirectory
{
    /// <summary>Uses <paramref name="root"/> as the policies directory.</summary>
    public PolicyDirectory(string root)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        Root = System.IO.Path.GetFullPath(root);
    }

    /// <summary>The absolute path of the policies directory.</summary>
    public string Root { get; }

    /// <summary>Whether the directory exists.</summary>
    public bool Exists => Directory.Exists(Root);

    /// <summary>Resolves the directory from options: the configured one, else <c>./policies</c>, else the copy
    /// shipped next to the binaries.</summary>
    public static PolicyDirectory Resolve(SpbeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!string.IsNullOrWhiteSpace(options.PoliciesDirectory))
        {
            return new PolicyDirectory(options.PoliciesDirectory);
        }

        var local = System.IO.Path.GetFullPath(SpbeDefaults.PoliciesFolder);
        if (Directory.Exists(local))
        {
            return new PolicyDirectory(local);
        }

        var shipped = System.IO.Path.Combine(AppContext.BaseDirectory, SpbeDefaults.PoliciesFolder);
        return new PolicyDirectory(Directory.Exists(shipped) ? shipped : local);
    }

    /// <summary>The absolute path of a file given relative to the directory, e.g. <c>identity/opd.yaml</c>.</summary>
    public string PathOf(string relativePath) => System.IO.Path.Combine(Root, relativePath);

    /// <summary>How a file is named in messages: <c>policies/identity/opd.yaml</c>.</summary>
    public string Display(string fullPath)
    {
        var relative = System.IO.Path.GetRelativePath(Root, fullPath).Replace('\\', '/');
        return SpbeDefaults.PoliciesFolder + "/" + relative;
    }
}
