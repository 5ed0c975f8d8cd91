using System.Globalization;
using Spbe.Security.Identity.Events;
using Spbe.Security.Soc.Incidents;
using Spbe.Security.Soc.Incidents.Reports;

namespace Spbe.Security.Host.Soc;

/// <summary>The audit export as a download, for the API and the dashboard alike: audited, never cached, streamed a page
/// of incidents at a time within the viewer's OPDs.</summary>
internal static class IncidentExportDownload
{
    public static async Task WriteAsync(
        HttpContext context, SocViewer viewer, IncidentService incidents, ISecurityEventSink events, TimeProvider time, DateTimeOffset from, DateTimeOffset to, bool ndjson)
    {
        var extension = ndjson ? "ndjson" : "csv";
        await IncidentAudit.RecordAsync(events, time, context, "soc-incident-export", viewer, string.Create(CultureInfo.InvariantCulture, $"{from:yyyy-MM-dd}..{to:yyyy-MM-dd} {extension}"));
        var response = context.Response;
        response.ContentType = ndjson ? "application/x-ndjson; charset=utf-8" : "text/csv; charset=utf-8";
        response.Headers.ContentDisposition = string.Create(CultureInfo.InvariantCulture, $"attachment; filename=\"insiden-tertutup-{from:yyyyMMdd}-{to:yyyyMMdd}.{extension}\"");
        response.Headers.CacheControl = "no-store";
        await IncidentExport.WriteAsync(response.Body, ndjson ? IncidentExportFormat.NdJson : IncidentExportFormat.Csv,
            incidents.ClosedAsync(viewer.Scope, from.ToUnixTimeMilliseconds(), to.ToUnixTimeMilliseconds(), context.RequestAborted), context.RequestAborted);
    }
}
