using Microsoft.AspNetCore.Identity;
using Spbe.Security.Identity.Accounts;

namespace Spbe.Security.Host.Soc;

/// <summary>
/// What a signed-in person may do in the SOC, decided from their roles each time (a removed role takes effect at
/// once): <c>csirt-analyst</c> and <c>csirt-admin</c> see and handle every OPD's events and incidents; <c>admin</c> reads
/// them all; an <c>opd-admin</c> reads their own OPD's, and changes only the incidents assigned to them. Anyone else: nothing.
/// </summary>
public sealed record SocViewer(AsnUser User, bool CityWide, bool Analyst)
{
    /// <summary>The viewer's NIP.</summary>
    public string Nip => User.Nip;

    /// <summary>The OPDs the viewer may see, or null for the whole city.</summary>
    public IReadOnlyList<string>? Scope => CityWide ? null : [User.OpdCode];

    /// <summary>Whether the viewer may see what belongs to <paramref name="opd"/>.</summary>
    public bool MaySee(string? opd) => CityWide || (opd is not null && string.Equals(opd, User.OpdCode, StringComparison.Ordinal));

    /// <summary>Whether the viewer may change an incident of <paramref name="opd"/> assigned to <paramref name="assignee"/>.</summary>
    public bool MayChange(string? opd, string? assignee) =>
        Analyst || (MaySee(opd) && string.Equals(assignee, User.Nip, StringComparison.Ordinal));

    /// <summary>The viewer for <paramref name="user"/>, or null when they may see nothing of the SOC.</summary>
    public static async Task<SocViewer?> ForAsync(UserManager<AsnUser> users, AsnUser? user)
    {
        if (user is not { Disabled: false })
        {
            return null;
        }

        var roles = await users.GetRolesAsync(user);
        var analyst = roles.Contains(SpbeRoles.CsirtAnalyst) || roles.Contains(SpbeRoles.CsirtAdmin);
        if (analyst || roles.Contains(SpbeRoles.Admin))
        {
            return new SocViewer(user, CityWide: true, analyst);
        }

        return roles.Contains(SpbeRoles.OpdAdmin) ? new SocViewer(user, CityWide: false, Analyst: false) : null;
    }
}
