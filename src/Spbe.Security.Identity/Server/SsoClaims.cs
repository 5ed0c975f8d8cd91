namespace Spbe.Security.Identity.Server;

/// <summary>The claims the provider issues beyond the standard ones.</summary>
public static class SsoClaims
{
    /// <summary>The 18-digit NIP (scope <c>profile</c>).</summary>
    public const string Nip = "nip";

    /// <summary>The OPD code (scope <c>opd</c>).</summary>
    public const string Opd = "opd";

    /// <summary>The position (scope <c>profile</c>).</summary>
    public const string Jabatan = "jabatan";
}
