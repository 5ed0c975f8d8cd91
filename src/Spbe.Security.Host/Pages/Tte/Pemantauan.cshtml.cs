using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Spbe.Security.Identity.Accounts;
using Spbe.Security.Pki.Signing;

namespace Spbe.Security.Host.Pages.Tte;

/// <summary>
/// DISKOMINFO's monitoring of electronic signatures (<c>/tte/pemantauan</c>, and the same data as JSON with
/// <c>?handler=json</c>): signatures and refusals per OPD, official and month, with a chart, and signing
/// certificates near their end. <c>admin</c>, <c>pki-officer</c> and the CSIRT roles see every OPD; an
/// <c>opd-admin</c> sees only their own; anyone else is refused.
/// </summary>
[Authorize]
public sealed class PemantauanModel(UserManager<AsnUser> users, SigningRecords records, TimeProvider time) : PageModel
{
    private static readonly string[] CityWideRoles = [SpbeRoles.Admin, SpbeRoles.PkiOfficer, SpbeRoles.CsirtAnalyst, SpbeRoles.CsirtAdmin];

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    /// <summary>How many months back from now (1..24).</summary>
    [BindProperty(SupportsGet = true)]
    public int Bulan { get; set; } = 6;

    /// <summary>One OPD (city-wide roles only; an opd-admin always sees their own).</summary>
    [BindProperty(SupportsGet = true)]
    public string? Opd { get; set; }

    public UsageReport Report { get; private set; } = null!;

    /// <summary>The OPD the viewer is limited to, or null for city-wide viewers.</summary>
    public string? OwnOpd { get; private set; }

    public async Task<IActionResult> OnGetAsync() => await LoadAsync() ? Page() : Forbid();

    public async Task<IActionResult> OnGetJsonAsync() => await LoadAsync() ? new JsonResult(Report, Json) : Forbid();

    private async Task<bool> LoadAsync()
    {
        if (await users.GetUserAsync(User) is not { Disabled: false } user)
        {
            return false;
        }

        var roles = await users.GetRolesAsync(user);
        if (!roles.Any(r => CityWideRoles.Contains(r)))
        {
            if (!roles.Contains(SpbeRoles.OpdAdmin))
            {
                return false;
            }

            OwnOpd = user.OpdCode;
            Opd = user.OpdCode;
        }

        Bulan = Math.Clamp(Bulan, 1, 24);
        var now = time.GetUtcNow();
        Report = await records.UsageAsync(string.IsNullOrWhiteSpace(Opd) ? null : Opd, now.AddMonths(-Bulan), now.AddMinutes(1), HttpContext.RequestAborted);
        return true;
    }
}
