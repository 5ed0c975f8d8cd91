namespace Spbe.Security.Policies;

/// <summary>
/// A set of policy files a capability reads (OPDs, client registrations, profiles, rules). Every source is loaded
/// and validated at start-up, before anything is written, and all problems are reported together.
/// </summary>
/// <remarks>Implementations must not throw for problems in the files: they return them.</remarks>
public interface IPolicySource
{
    /// <summary>A short name for logs and reports, e.g. <c>identity/opd</c>.</summary>
    string Name { get; }

    /// <summary>The files it reads, relative to the policies directory; a <c>*</c> in the last segment matches any
    /// name (e.g. <c>identity/clients/*.json</c>). A test checks that every file in policies/ is claimed.</summary>
    IReadOnlyList<string> Files { get; }

    /// <summary>Reads and validates the files, keeping the result for later use.</summary>
    /// <returns>The problems found; empty when the files are valid.</returns>
    IReadOnlyList<PolicyError> Load();
}
