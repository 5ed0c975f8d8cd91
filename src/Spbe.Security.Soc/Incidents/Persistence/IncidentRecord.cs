namespace Spbe.Security.Soc.Incidents.Persistence;

/// <summary>
/// One incident: alerts grouped by <see cref="Key"/> within the grouping window, and what the CSIRT did about it. Times
/// are Unix milliseconds. <see cref="Version"/> changes with every analyst's change (never with new alerts), so that two
/// analysts editing at once are told rather than one silently losing their change.
/// </summary>
public sealed class IncidentRecord
{
    /// <summary>The incident's number.</summary>
    public long Id { get; set; }

    /// <summary>The grouping key: OPD, rule and the alert's subject (source address, user or host).</summary>
    public string Key { get; set; } = "";

    /// <summary>The title (the first alert's description until edited).</summary>
    public string Title { get; set; } = "";

    /// <summary>The severity.</summary>
    public IncidentSeverity Severity { get; set; }

    /// <summary>Whether an analyst set the severity (new alerts no longer raise it).</summary>
    public bool SeveritySet { get; set; }

    /// <summary>The workflow status.</summary>
    public IncidentStatus Status { get; set; }

    /// <summary>The NIP of the person handling it, if assigned.</summary>
    public string? Assignee { get; set; }

    /// <summary>The OPD whose systems raised it (null when the source has none).</summary>
    public string? Opd { get; set; }

    /// <summary>The rule of its first alert.</summary>
    public int RuleId { get; set; }

    /// <summary>The highest rule level among its alerts.</summary>
    public int MaxLevel { get; set; }

    /// <summary>The rule's groups, space-separated (what kind of incident: links the runbook).</summary>
    public string Groups { get; set; } = "";

    /// <summary>MITRE ATT&amp;CK technique ids, space-separated.</summary>
    public string Mitre { get; set; } = "";

    /// <summary>Source addresses seen, space-separated (at most <see cref="IncidentLimits.Observables"/>).</summary>
    public string SourceIps { get; set; } = "";

    /// <summary>Users seen, space-separated (at most <see cref="IncidentLimits.Observables"/>).</summary>
    public string Users { get; set; } = "";

    /// <summary>Hosts seen, space-separated (at most <see cref="IncidentLimits.Observables"/>).</summary>
    public string Hosts { get; set; } = "";

    /// <summary>File hashes seen (MD5, SHA-1 or SHA-256 from the decoders' fields), space-separated.</summary>
    public string Hashes { get; set; } = "";

    /// <summary>URLs seen, space-separated.</summary>
    public string Urls { get; set; } = "";

    /// <summary>How many alerts it has had (linked or not).</summary>
    public long AlertCount { get; set; }

    /// <summary>The first alert's time.</summary>
    public long FirstSeen { get; set; }

    /// <summary>The last alert's time.</summary>
    public long LastSeen { get; set; }

    /// <summary>When it was created.</summary>
    public long CreatedAt { get; set; }

    /// <summary>When it was first acknowledged (moved out of Baru), for time to acknowledge.</summary>
    public long? AcknowledgedAt { get; set; }

    /// <summary>When it was closed, for time to resolve.</summary>
    public long? ClosedAt { get; set; }

    /// <summary>When the SLA monitor found it not acknowledged in time (once; see <see cref="SlaPolicy"/>).</summary>
    public long? AckBreachedAt { get; set; }

    /// <summary>When the SLA monitor found it not resolved in time (once).</summary>
    public long? ResolveBreachedAt { get; set; }

    /// <summary>The incident it was merged into, when closed as a duplicate by a merge.</summary>
    public long? MergedInto { get; set; }

    /// <summary>Concurrency token: changed by every analyst's change.</summary>
    public int Version { get; set; }
}

/// <summary>An alert linked to an incident (its event stays in the event store; this is the timeline's row).</summary>
public sealed class IncidentAlertRecord
{
    /// <summary>The event's sequence number.</summary>
    public long Sequence { get; set; }

    /// <summary>The incident.</summary>
    public long IncidentId { get; set; }

    /// <summary>The event's time.</summary>
    public long At { get; set; }

    /// <summary>The rule.</summary>
    public int RuleId { get; set; }

    /// <summary>The rule's level.</summary>
    public int Level { get; set; }

    /// <summary>The rule's description with the event's values.</summary>
    public string Description { get; set; } = "";

    /// <summary>The source address, if any.</summary>
    public string? SourceIp { get; set; }

    /// <summary>The user, if any.</summary>
    public string? User { get; set; }

    /// <summary>The host.</summary>
    public string? Host { get; set; }

    /// <summary>The analyst's verdict: null (not judged), true (true positive) or false (false positive).</summary>
    public bool? TruePositive { get; set; }
}

/// <summary>A line in an incident's timeline: a note, or a change made (by whom, when, from what to what).</summary>
public sealed class IncidentEntryRecord
{
    /// <summary>The entry's id.</summary>
    public long Id { get; set; }

    /// <summary>The incident.</summary>
    public long IncidentId { get; set; }

    /// <summary>When.</summary>
    public long At { get; set; }

    /// <summary>The NIP of who made it, or <c>sistem</c>.</summary>
    public string Actor { get; set; } = "";

    /// <summary>What kind of entry (<see cref="IncidentEntryKinds"/>).</summary>
    public string Kind { get; set; } = "";

    /// <summary>The note, or what changed.</summary>
    public string Text { get; set; } = "";
}

/// <summary>A task in an incident's handling.</summary>
public sealed class IncidentTaskRecord
{
    /// <summary>The task's id.</summary>
    public long Id { get; set; }

    /// <summary>The incident.</summary>
    public long IncidentId { get; set; }

    /// <summary>What to do.</summary>
    public string Title { get; set; } = "";

    /// <summary>Whether it is done.</summary>
    public bool Done { get; set; }

    /// <summary>Who added it.</summary>
    public string CreatedBy { get; set; } = "";

    /// <summary>When it was added.</summary>
    public long CreatedAt { get; set; }
}

/// <summary>Evidence attached to an incident, by its hash (the file itself is kept by the CSIRT, not here).</summary>
public sealed class IncidentAttachmentRecord
{
    /// <summary>The attachment's id.</summary>
    public long Id { get; set; }

    /// <summary>The incident.</summary>
    public long IncidentId { get; set; }

    /// <summary>SHA-256 of the file, lowercase hex.</summary>
    public string Sha256 { get; set; } = "";

    /// <summary>The file's name.</summary>
    public string Name { get; set; } = "";

    /// <summary>Its size in bytes.</summary>
    public long Size { get; set; }

    /// <summary>Who attached it.</summary>
    public string AddedBy { get; set; } = "";

    /// <summary>When.</summary>
    public long AddedAt { get; set; }
}

/// <summary>The kinds of timeline entries.</summary>
public static class IncidentEntryKinds
{
    /// <summary>Created from alerts.</summary>
    public const string Created = "dibuat";

    /// <summary>An analyst's note.</summary>
    public const string Note = "catatan";

    /// <summary>A status change.</summary>
    public const string Status = "status";

    /// <summary>An assignment.</summary>
    public const string Assigned = "penugasan";

    /// <summary>A severity or title change.</summary>
    public const string Edited = "ubah";

    /// <summary>A merge or split.</summary>
    public const string Grouping = "pengelompokan";

    /// <summary>An alert judged true or false positive.</summary>
    public const string Verdict = "penilaian";

    /// <summary>A task added or done.</summary>
    public const string Task = "tugas";

    /// <summary>An attachment added.</summary>
    public const string Attachment = "lampiran";

    /// <summary>An SLA deadline passed.</summary>
    public const string Sla = "sla";

    /// <summary>A report or letter made from the incident (and where it went).</summary>
    public const string Report = "laporan";
}

/// <summary>Bounds that keep one noisy incident from growing without end.</summary>
public static class IncidentLimits
{
    /// <summary>Alerts linked to one incident (the timeline); further alerts are counted only.</summary>
    public const int LinkedAlerts = 1_000;

    /// <summary>Distinct source addresses, users or hosts kept per incident.</summary>
    public const int Observables = 100;

    /// <summary>A note's or task's length.</summary>
    public const int TextLength = 4_000;

    /// <summary>A title's length.</summary>
    public const int TitleLength = 200;

    /// <summary>Tasks per incident.</summary>
    public const int Tasks = 200;

    /// <summary>Attachments per incident.</summary>
    public const int Attachments = 200;

    /// <summary>An attachment's size (20 MiB).</summary>
    public const long AttachmentBytes = 20L * 1024 * 1024;
}
