using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using Spbe.Security.Host.Endpoints;
using Spbe.Security.Host.Soc;
using Spbe.Security.Identity.Accounts;
using Spbe.Security.Identity.Events;
using Spbe.Security.Soc;
using Spbe.Security.Soc.Incidents;
using Spbe.Security.Soc.Store;

namespace Spbe.Security.Host.Pages.Soc;

/// <summary>
/// The CSIRT dashboard (<c>/soc</c>): alerts per day over the last two weeks, incidents of the last 30 days by OPD and
/// severity, SLA compliance per month, and MTTA/MTTR per OPD and month, all within what the viewer may see.
/// </summary>
[Authorize]
public sealed class DasborModel(
    UserManager<AsnUser> users, IncidentService incidents, IncidentSla sla, IEventStore store, IOptions<SocOptions> options,
    ISecurityEventSink events, TimeProvider time) : PageModel
{
    /// <summary>Days of the alerts chart.</summary>
    public const int AlertDays = 14;

    public SocViewer Viewer { get; private set; } = null!;

    public List<(string Label, double Value, string? Class)> AlertsPerDay { get; } = [];

    public IReadOnlyList<IncidentCount> ByOpd { get; private set; } = [];

    public IReadOnlyList<SlaStatsRow> Stats { get; private set; } = [];

    public IReadOnlyList<string> SlaTargets { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync()
    {
        if (await SocViewer.ForAsync(users, await users.GetUserAsync(User)) is not { } viewer)
        {
            return Forbid();
        }

        Viewer = viewer;
        var zone = TimeZoneInfo.FindSystemTimeZoneById(options.Value.SourceTimeZone);
        var now = time.GetUtcNow();
        var today = TimeZoneInfo.ConvertTime(now, zone).Date;
        for (var d = AlertDays - 1; d >= 0; d--)
        {
            var day = today.AddDays(-d);
            var since = new DateTimeOffset(day, zone.GetUtcOffset(day));
            var count = await store.CountAsync(new EventQuery { Since = since, Until = since.AddDays(1), Scope = viewer.Scope, MinLevel = incidents.MinLevel }, HttpContext.RequestAborted);
            AlertsPerDay.Add((day.ToString("dd MMM", CultureInfo.GetCultureInfo("id-ID")), count, null));
        }

        ByOpd = await incidents.CountByOpdAsync(viewer.Scope, now.AddDays(-30).ToUnixTimeMilliseconds(), HttpContext.RequestAborted);
        IncidentEndpoints.TryMonths(null, null, now, zone, out var from, out var to);
        Stats = await sla.StatsAsync(viewer.Scope, from, to, zone, HttpContext.RequestAborted);
        SlaTargets = [.. Enum.GetValues<IncidentSeverity>().Reverse().Select(s =>
            $"{s.Label()}: tanggap {SlaPolicy.Format(sla.Policy.For(s).Acknowledge)}, selesai {SlaPolicy.Format(sla.Policy.For(s).Resolve)}")];
        await IncidentAudit.RecordAsync(events, time, HttpContext, IncidentAudit.List, viewer, "dasbor");
        return Page();
    }

    /// <summary>The audit export of closed incidents (<c>?handler=Ekspor&amp;dari=YYYY-MM-DD&amp;sampai=YYYY-MM-DD&amp;format=csv|ndjson</c>),
    /// within the viewer's OPDs, streamed.</summary>
    public async Task<IActionResult> OnGetEksporAsync(string? dari, string? sampai, string? format)
    {
        if (await SocViewer.ForAsync(users, await users.GetUserAsync(User)) is not { } viewer)
        {
            return Forbid();
        }

        if (!IncidentEndpoints.TryExportRange(dari, sampai, time.GetUtcNow(), out var from, out var to) || format is not (null or "" or "csv" or "ndjson"))
        {
            return BadRequest($"{SocErrors.IncidentInvalid}: dari dan sampai berupa tanggal YYYY-MM-DD (paling lama 3 tahun), format csv atau ndjson");
        }

        await IncidentExportDownload.WriteAsync(HttpContext, viewer, incidents, events, time, from, to, ndjson: format == "ndjson");
        return new EmptyResult();
    }

    /// <summary>The incidents chart: one bar per OPD and severity present.</summary>
    public IReadOnlyList<(string Label, double Value, string? Class)> IncidentBars() =>
        [.. ByOpd.Select(c => ($"{c.Opd ?? "-"} {c.Severity.Label()}", (double)c.Count, (string?)c.Severity.ToString().ToLowerInvariant()))];

    /// <summary>The compliance chart: the whole scope per month, oldest first.</summary>
    public IReadOnlyList<(string Label, double Value, string? Class)> ComplianceBars() =>
        [.. Stats.Where(r => r.Opd is null).Reverse().Select(r => (
            string.Create(CultureInfo.InvariantCulture, $"{r.Year:0000}-{r.Month:00}"), Math.Round(r.Compliance * 100, 1), (string?)(r.Compliance >= 0.9 ? "baik" : "buruk")))];

    public static string Duration(TimeSpan? value) => value is { } v ? SlaPolicy.Format(v) : "-";
}
