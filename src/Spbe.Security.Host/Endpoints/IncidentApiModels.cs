using Spbe.Security.Host.Soc;
using Spbe.Security.Soc.Incidents;
using Spbe.Security.Soc.Incidents.Persistence;

namespace Spbe.Security.Host.Endpoints;

// The shapes of /api/soc/incidents and /api/soc/sla, serialised with snake_case names (IncidentEndpoints.Json) and
// described by the OpenAPI document /openapi/soc.json. Times are ISO 8601 with offset (UTC).

/// <summary>An incident as listed.</summary>
public sealed record IncidentSummaryDto(
    long Id, int Version, string Title, IncidentSeverity Severity, IncidentStatus Status, string? Assignee, string? Opd, int Rule, int MaxLevel,
    IReadOnlyList<string> Groups, IReadOnlyList<string> Mitre, ObservablesDto Observables, long AlertCount,
    DateTimeOffset FirstSeen, DateTimeOffset LastSeen, DateTimeOffset CreatedAt, DateTimeOffset? AcknowledgedAt, DateTimeOffset? ClosedAt,
    long? MergedInto, SlaStateDto? Sla)
{
    internal static IncidentSummaryDto From(IncidentRecord i, SlaState? sla) => new(
        i.Id, i.Version, i.Title, i.Severity, i.Status, i.Assignee, i.Opd, i.RuleId, i.MaxLevel, Words(i.Groups), Words(i.Mitre),
        new ObservablesDto(Words(i.SourceIps), Words(i.Users), Words(i.Hosts), Words(i.Hashes), Words(i.Urls)), i.AlertCount,
        Time(i.FirstSeen), Time(i.LastSeen), Time(i.CreatedAt), i.AcknowledgedAt is { } a ? Time(a) : null, i.ClosedAt is { } c ? Time(c) : null,
        i.MergedInto, sla is { } s ? new SlaStateDto(Time(s.AcknowledgeDue), Time(s.ResolveDue), s.AcknowledgeBreached, s.ResolveBreached) : null);

    internal static string[] Words(string text) => text.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    internal static DateTimeOffset Time(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);
}

/// <summary>What the incident's alerts named: source addresses, users, hosts, file hashes and URLs.</summary>
public sealed record ObservablesDto(IReadOnlyList<string> Ips, IReadOnlyList<string> Users, IReadOnlyList<string> Hosts, IReadOnlyList<string> Hashes, IReadOnlyList<string> Urls);

/// <summary>The incident against its SLA (policies/soc/sla.yaml): deadlines, and whether each was missed.</summary>
public sealed record SlaStateDto(DateTimeOffset AcknowledgeDue, DateTimeOffset ResolveDue, bool AcknowledgeBreached, bool ResolveBreached);

/// <summary>A page of incidents.</summary>
public sealed record IncidentListDto(long Total, int Page, int PageSize, IReadOnlyList<IncidentSummaryDto> Incidents);

/// <summary>An incident with its linked alerts (the newest 200), timeline, tasks and attachments.</summary>
public sealed record IncidentDetailDto(
    IncidentSummaryDto Incident, bool MayChange, IReadOnlyList<LinkedAlertDto> Alerts, IReadOnlyList<TimelineEntryDto> Timeline,
    IReadOnlyList<TaskDto> Tasks, IReadOnlyList<AttachmentDto> Attachments)
{
    internal static IncidentDetailDto From(IncidentDetail d, SocViewer viewer, SlaState sla) => new(
        IncidentSummaryDto.From(d.Incident, sla),
        viewer.MayChange(d.Incident.Opd, d.Incident.Assignee),
        [.. d.Alerts.Select(a => new LinkedAlertDto(a.Sequence, IncidentSummaryDto.Time(a.At), a.RuleId, a.Level, a.Description, a.SourceIp, a.User, a.Host, a.TruePositive))],
        [.. d.Entries.Select(e => new TimelineEntryDto(IncidentSummaryDto.Time(e.At), e.Actor, e.Kind, e.Text))],
        [.. d.Tasks.Select(t => new TaskDto(t.Id, t.Title, t.Done, t.CreatedBy, IncidentSummaryDto.Time(t.CreatedAt)))],
        [.. d.Attachments.Select(AttachmentDto.From)]);
}

/// <summary>An alert linked to the incident (the event is in the event store under the same sequence number).</summary>
public sealed record LinkedAlertDto(long Sequence, DateTimeOffset At, int Rule, int Level, string Description, string? SourceIp, string? User, string? Host, bool? TruePositive);

/// <summary>A timeline line: a note or a change, by whom (NIP, or <c>sistem</c>).</summary>
public sealed record TimelineEntryDto(DateTimeOffset At, string Actor, string Kind, string Text);

/// <summary>A task of the incident's handling.</summary>
public sealed record TaskDto(long Id, string Title, bool Done, string CreatedBy, DateTimeOffset CreatedAt);

/// <summary>Evidence attached by its SHA-256.</summary>
public sealed record AttachmentDto(long Id, string Sha256, string Name, long Size, string AddedBy, DateTimeOffset AddedAt)
{
    internal static AttachmentDto From(IncidentAttachmentRecord x) => new(x.Id, x.Sha256, x.Name, x.Size, x.AddedBy, IncidentSummaryDto.Time(x.AddedAt));
}

/// <summary>SLA figures per OPD and month (a row without an OPD sums the month), with the targets in force.</summary>
public sealed record SlaReportDto(string From, string To, IReadOnlyList<SlaTargetDto> Targets, IReadOnlyList<SlaRowDto> Rows);

/// <summary>The SLA of one severity, in seconds.</summary>
public sealed record SlaTargetDto(IncidentSeverity Severity, long AcknowledgeSeconds, long ResolveSeconds);

/// <summary>One OPD's (or, without one, every OPD's) incidents opened in a month: counts, mean times in seconds, breaches,
/// and compliance (share of incidents that met both deadlines, 0 to 1).</summary>
public sealed record SlaRowDto(
    string? Opd, string Month, int Opened, int Acknowledged, double? MttaSeconds, int Resolved, double? MttrSeconds,
    int AcknowledgeBreaches, int ResolveBreaches, double Compliance);

/// <summary>The body of a change; each action reads the fields it needs. Every change but notes, tasks and verdicts
/// carries the <c>version</c> it was made on.</summary>
public sealed record IncidentChangeDto
{
    /// <summary>The incident's version the change was made on (from the last read).</summary>
    public int Version { get; init; }

    /// <summary>status: the new status.</summary>
    public string? Status { get; init; }

    /// <summary>status: the reason, for the timeline.</summary>
    public string? Reason { get; init; }

    /// <summary>assign: the NIP to assign to; empty to unassign.</summary>
    public string? Assignee { get; init; }

    /// <summary>edit: a new title; tasks: the task.</summary>
    public string? Title { get; init; }

    /// <summary>edit: a new severity.</summary>
    public string? Severity { get; init; }

    /// <summary>notes: the note.</summary>
    public string? Text { get; init; }

    /// <summary>verdict: true positive (true) or false positive (false).</summary>
    public bool? TruePositive { get; init; }

    /// <summary>tasks/{task}/done: done (true, the default) or open again (false).</summary>
    public bool? Done { get; init; }

    /// <summary>merge: the incidents to merge into this one.</summary>
    public IReadOnlyList<long>? Sources { get; init; }

    /// <summary>split: the sequence numbers of the linked alerts to split off.</summary>
    public IReadOnlyList<long>? Alerts { get; init; }
}

/// <summary>A report or note to send for signature.</summary>
/// <param name="Kind"><c>laporan</c> (to DISKOMINFO) or <c>nota</c> (to the mayor).</param>
/// <param name="Signer">The NIP of the official who signs (needs a valid signing certificate).</param>
/// <param name="Reviewers">NIPs that give their paraf first, in order.</param>
public sealed record ReportSubmissionDto(string? Kind, string? Signer, IReadOnlyList<string>? Reviewers);

/// <summary>The naskah dinas the document went into.</summary>
public sealed record ReportSubmittedDto(string Naskah, string Url, string Sha256);
