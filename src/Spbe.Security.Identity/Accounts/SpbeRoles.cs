namespace Spbe.Security.Identity.Accounts;

/// <summary>The roles of the product; carried in the <c>role</c> claim.</summary>
public static class SpbeRoles
{
    /// <summary>DISKOMINFO administrators: every user, client and setting.</summary>
    public const string Admin = "admin";

    /// <summary>An OPD's own administrator: the users of that OPD only.</summary>
    public const string OpdAdmin = "opd-admin";

    /// <summary>CSIRT analysts: triage incidents of every OPD.</summary>
    public const string CsirtAnalyst = "csirt-analyst";

    /// <summary>CSIRT administrators: analysts plus rules, sources and assignments.</summary>
    public const string CsirtAdmin = "csirt-admin";

    /// <summary>Registration officers of the CA: approve or reject certificate requests.</summary>
    public const string PkiOfficer = "pki-officer";

    /// <summary>Officials who sign documents electronically.</summary>
    public const string Signer = "signer";

    /// <summary>All roles, in the order they are seeded.</summary>
    public static IReadOnlyList<string> All { get; } = [Admin, OpdAdmin, CsirtAnalyst, CsirtAdmin, PkiOfficer, Signer];
}
