using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Spbe.Security.Host.Endpoints;
using Spbe.Security.Host.Soc;
using Spbe.Security.Identity.Accounts;
using Spbe.Security.Identity.Events;
using Spbe.Security.Soc.Incidents;

namespace Spbe.Security.Host.Pages.Soc;

/// <summary>The CSIRT's incident queue (<c>/soc/insiden</c>): filters, search and pages; each viewer sees what
/// <see cref="SocViewer"/> allows, and every view is audit-logged.</summary>
[Authorize]
public sealed class InsidenModel(UserManager<AsnUser> users, IncidentService incidents, IncidentSla sla, ISecurityEventSink events, TimeProvider time) : PageModel
{
    public IncidentSla Sla => sla;

    public long Now { get; } = time.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>The SLA column: what is late, or the time left on the running clock.</summary>
    public string SlaText(SlaState state) => state switch
    {
        { AcknowledgeBreached: true, ResolveBreached: true } => "terlampaui (tanggap, selesai)",
        { AcknowledgeBreached: true } => "terlampaui (tanggap)",
        { ResolveBreached: true } => "terlampaui (selesai)",
        { NextDue: { } due } => "sisa " + SlaPolicy.Format(TimeSpan.FromMilliseconds(due - Now)),
        _ => "terpenuhi",
    };

    [BindProperty(SupportsGet = true)]
    public string? Status { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Tingkat { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Opd { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Q { get; set; }

    [BindProperty(SupportsGet = true)]
    public int Halaman { get; set; } = 1;

    public IncidentPage Result { get; private set; } = new([], 0, 1, 50);

    public SocViewer Viewer { get; private set; } = null!;

    public string? Problem { get; private set; }

    public async Task<IActionResult> OnGetAsync()
    {
        if (await SocViewer.ForAsync(users, await users.GetUserAsync(User)) is not { } viewer)
        {
            return Forbid();
        }

        Viewer = viewer;
        if (!string.IsNullOrEmpty(Opd) && !viewer.MaySee(Opd))
        {
            await IncidentAudit.RecordAsync(events, time, HttpContext, IncidentAudit.List, viewer, Spbe.Security.Soc.SocErrors.IncidentForbidden, success: false);
            return Forbid();
        }

        IncidentStatus? status = null;
        IncidentSeverity? severity = null;
        try
        {
            status = string.IsNullOrEmpty(Status) || Status == "terbuka" ? null : IncidentEndpoints.ParseStatus(Status);
            severity = string.IsNullOrEmpty(Tingkat) ? null : IncidentEndpoints.ParseSeverity(Tingkat);
        }
        catch (SpbeException ex)
        {
            Problem = $"{ex.Code}: filter tidak dikenal";
        }

        Result = await incidents.ListAsync(new IncidentFilter
        {
            Scope = viewer.Scope, Opd = string.IsNullOrEmpty(Opd) ? null : Opd, Status = status, OpenOnly = Status == "terbuka",
            Severity = severity, Text = string.IsNullOrWhiteSpace(Q) ? null : Q.Trim(), Page = Math.Max(1, Halaman), PageSize = 50,
        }, HttpContext.RequestAborted);
        await IncidentAudit.RecordAsync(events, time, HttpContext, IncidentAudit.List, viewer, $"halaman {Result.Page}");
        return Page();
    }
}
