using Spbe.Security.Identity.Events;

namespace Spbe.Security.Host.Soc;

/// <summary>
/// Every view and change of an incident, by console or API, goes into the security event stream (and so into the SOC's
/// own event store): <c>soc-incident-view</c>, <c>soc-incident-list</c>, <c>soc-incident-change</c>, with the incident's
/// number, and the refusals with their code.
/// </summary>
internal static class IncidentAudit
{
    public const string View = "soc-incident-view";
    public const string List = "soc-incident-list";
    public const string Change = "soc-incident-change";

    public static ValueTask RecordAsync(ISecurityEventSink events, TimeProvider time, HttpContext context, string action, SocViewer? viewer, string reason, bool success = true) =>
        events.WriteAsync(new SecurityEvent(
            time.GetUtcNow(), action, success ? "success" : "failure", UserName: viewer?.Nip, SourceIp: context.Connection.RemoteIpAddress?.ToString(),
            Opd: viewer?.User.OpdCode, Reason: reason, Actor: viewer?.Nip), context.RequestAborted);
}
