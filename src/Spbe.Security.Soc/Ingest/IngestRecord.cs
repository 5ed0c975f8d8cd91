namespace Spbe.Security.Soc.Ingest;

/// <summary>
/// One received event as the write-ahead log keeps it: the bytes exactly as they came (cut at the configured limit),
/// when and how they came, and who sent them. Everything else (parsing, fields) is derived from this, so a replay
/// reproduces the store.
/// </summary>
/// <param name="ArrivalUnixMs">When the event arrived (milliseconds since the Unix epoch); the event's <c>@timestamp</c>.</param>
/// <param name="Transport">How it arrived.</param>
/// <param name="Flags">What was noticed on receipt.</param>
/// <param name="Peer">The sender's IP address, or the component for internal events.</param>
/// <param name="Source">Who the sender is, from <c>sources.yaml</c>.</param>
/// <param name="Raw">The message bytes.</param>
public sealed record IngestRecord(long ArrivalUnixMs, IngestTransport Transport, IngestFlags Flags, string Peer, SourceIdentity Source, byte[] Raw)
{
    /// <summary>The position in the write-ahead log, assigned when the record is appended (0 before).</summary>
    public long Sequence { get; set; }
}
