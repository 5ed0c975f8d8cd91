namespace Spbe.Security.Soc;

/// <summary>Stable codes of the SOC capability, in problem responses, logs and runbooks/soc-ingest.md.</summary>
public static class SocErrors
{
    /// <summary>An HTTP ingest request without a valid bearer token of a source in sources.yaml.</summary>
    public const string IngestUnauthenticated = "SOC-0101";

    /// <summary>An HTTP ingest body larger than allowed.</summary>
    public const string IngestTooLarge = "SOC-0102";

    /// <summary>An HTTP ingest line that is not a JSON object (the other lines are still taken).</summary>
    public const string IngestInvalidJson = "SOC-0103";

    /// <summary>The pipeline is full or stopping; the sender should retry.</summary>
    public const string IngestUnavailable = "SOC-0104";

    /// <summary>An HTTP ingest request whose content type is neither JSON nor NDJSON.</summary>
    public const string IngestUnsupportedMediaType = "SOC-0105";

    /// <summary>A damaged write-ahead log record was cut off on start (logged with the segment and byte count).</summary>
    public const string WalDamaged = "SOC-0201";

    /// <summary>The write-ahead log could not be written; ingest stops acknowledging until it can.</summary>
    public const string WalWriteFailed = "SOC-0202";

    /// <summary>The event store could not write a batch; it is retried from the write-ahead log.</summary>
    public const string StoreWriteFailed = "SOC-0203";

    /// <summary>A query parameter that cannot be used (bad time, unknown field, bad cursor).</summary>
    public const string QueryInvalid = "SOC-0301";

    /// <summary>The caller may not read events (or not of the OPD asked for).</summary>
    public const string QueryForbidden = "SOC-0302";

    /// <summary>A query without a bearer token of the SOC API.</summary>
    public const string QueryUnauthenticated = "SOC-0303";

    /// <summary>A connection refused because its source already has the maximum number open.</summary>
    public const string ConnectionLimit = "SOC-0401";

    /// <summary>A TLS handshake that failed or took too long.</summary>
    public const string TlsHandshakeFailed = "SOC-0402";

    /// <summary>A RELP session that broke the protocol (the connection is closed; acknowledged events are kept).</summary>
    public const string RelpProtocolError = "SOC-0403";

    /// <summary>A decoder, rule or list file could not be loaded completely (file and line given); the rest loads.</summary>
    public const string RulesetProblem = "SOC-0501";

    /// <summary>A <c>spbe logtest --sessions</c> line is not a JSON object with <c>session</c> and <c>log</c>.</summary>
    public const string LogtestInputInvalid = "SOC-0502";

    /// <summary>A ruleset directory or replay file does not exist.</summary>
    public const string RulesetNotFound = "SOC-0503";

    // Note: SOC-0504 (alerts written apart from their events) is retired: alerts are stored in their events' transaction.

    /// <summary>Detection failed on a batch of stored events (a defect); they stay stored without alerts.</summary>
    public const string DetectionFailed = "SOC-0505";

    /// <summary>There is no incident (or linked alert) with that number.</summary>
    public const string IncidentNotFound = "SOC-0601";

    /// <summary>Someone else changed the incident since the caller read it (version check); reload and try again.</summary>
    public const string IncidentConflict = "SOC-0602";

    /// <summary>A change the workflow or the incident's fields do not allow (status move, NIP, note length...).</summary>
    public const string IncidentInvalid = "SOC-0603";

    /// <summary>The caller may not see, or may not change, this incident (another OPD's, or read-only access).</summary>
    public const string IncidentForbidden = "SOC-0604";

    /// <summary>Alerts could not be recorded as incidents (the incident store failed); retried, then logged.</summary>
    public const string IncidentRecordFailed = "SOC-0605";

    /// <summary>An announcement (webhook or email) could not be delivered after its retries; the incident is unaffected.</summary>
    public const string NotificationFailed = "SOC-0606";

    /// <summary>Announcements were dropped: too many were waiting (the receivers are down or slow).</summary>
    public const string NotificationDropped = "SOC-0607";

    /// <summary>The periodic SLA check failed (the incident store); it runs again at its next interval.</summary>
    public const string SlaCheckFailed = "SOC-0608";
}
