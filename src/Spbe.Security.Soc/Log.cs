using Microsoft.Extensions.Logging;

namespace Spbe.Security.Soc;

/// <summary>The SOC capability's log messages; event ids are the numbers of <see cref="SocErrors"/>. Message text
/// from senders never appears here (it is attacker input and may carry secrets); peers and counts do.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 201, Level = LogLevel.Warning, Message = "SOC-0201 write-ahead log segment {Segment}: {Bytes} damaged bytes cut off")]
    public static partial void WalDamaged(ILogger logger, string segment, long bytes);

    [LoggerMessage(EventId = 202, Level = LogLevel.Error, Message = "SOC-0202 the write-ahead log could not be written; retrying")]
    public static partial void WalWriteFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 203, Level = LogLevel.Error, Message = "SOC-0203 the event store could not write {Count} events; retrying")]
    public static partial void StoreWriteFailed(ILogger logger, Exception exception, int count);

    [LoggerMessage(EventId = 204, Level = LogLevel.Warning,
        Message = "SOC-0203 the event store could not bring its text index up to date (searches still find every event); retrying when ingest is next quiet")]
    public static partial void StoreFlushFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 210, Level = LogLevel.Information,
        Message = "Write-ahead log opened: {Segments} segments, {Records} records, last sequence {LastSequence}; {Replayed} replayed into the store")]
    public static partial void WalOpened(ILogger logger, int segments, long records, long lastSequence, long replayed);

    [LoggerMessage(EventId = 211, Level = LogLevel.Information, Message = "Retention removed {Partitions} event partitions older than {Days} days")]
    public static partial void RetentionApplied(ILogger logger, int partitions, int days);

    [LoggerMessage(EventId = 501, Level = LogLevel.Warning, Message = "SOC-0501 ruleset {File}:{Line}: {Problem}; the rest of the ruleset is in use")]
    public static partial void RulesetProblem(ILogger logger, string file, int line, string problem);

    [LoggerMessage(EventId = 502, Level = LogLevel.Information, Message = "SOC detection: {Rules} rules and {Decoders} decoders from {Directories}")]
    public static partial void RulesetLoaded(ILogger logger, int rules, int decoders, string directories);

    [LoggerMessage(EventId = 505, Level = LogLevel.Error, Message = "SOC-0505 detection failed on a batch of {Count} stored events; they stay stored, without alerts")]
    public static partial void DetectionFailed(ILogger logger, Exception exception, int count);

    [LoggerMessage(EventId = 600, Level = LogLevel.Information, Message = "incident {Id} opened: rule {RuleId}, OPD {Opd}, severity {Severity}")]
    public static partial void IncidentOpened(ILogger logger, long id, int ruleId, string? opd, Incidents.IncidentSeverity severity);

    [LoggerMessage(EventId = 610, Level = LogLevel.Warning, Message = "incident {Id} missed its {Kind} SLA: OPD {Opd}, severity {Severity}")]
    public static partial void SlaBreached(ILogger logger, long id, Incidents.SlaKind kind, string? opd, Incidents.IncidentSeverity severity);

    [LoggerMessage(EventId = 606, Level = LogLevel.Warning, Message = "SOC-0606 {Channel} announcement {Type} of incident {Id} failed (attempt {Attempt} of {Attempts}): {Error}: {Reason}")]
    public static partial void NotificationFailed(ILogger logger, string channel, string type, long id, int attempt, int attempts, string error, string reason);

    [LoggerMessage(EventId = 607, Level = LogLevel.Error, Message = "SOC-0607 announcement {Type} of incident {Id} dropped: {Capacity} announcements are already waiting")]
    public static partial void NotificationDropped(ILogger logger, string type, long id, int capacity);

    [LoggerMessage(EventId = 605, Level = LogLevel.Error, Message = "SOC-0605 {Count} alerts could not be recorded as incidents (attempt {Attempt} of 3); they stay stored with their events")]
    public static partial void IncidentRecordFailed(ILogger logger, Exception exception, int count, int attempt);

    [LoggerMessage(EventId = 401, Level = LogLevel.Warning, Message = "SOC-0401 {Transport} connection from {Peer} refused: source {Source} already has {Limit} open")]
    public static partial void ConnectionLimit(ILogger logger, string transport, string peer, string source, int limit);

    [LoggerMessage(EventId = 402, Level = LogLevel.Information, Message = "SOC-0402 TLS handshake with {Peer} failed: {Reason}")]
    public static partial void TlsHandshakeFailed(ILogger logger, string peer, string reason);

    [LoggerMessage(EventId = 403, Level = LogLevel.Information, Message = "SOC-0403 RELP session from {Peer} closed: {Reason}")]
    public static partial void RelpProtocolError(ILogger logger, string peer, string reason);

    [LoggerMessage(EventId = 410, Level = LogLevel.Information, Message = "SOC {Listener} listening on {Endpoint}")]
    public static partial void Listening(ILogger logger, string listener, string endpoint);

    [LoggerMessage(EventId = 411, Level = LogLevel.Debug, Message = "{Transport} connection from {Peer} ended: {Reason}")]
    public static partial void ConnectionEnded(ILogger logger, string transport, string peer, string reason);
}
