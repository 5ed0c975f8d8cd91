using Spbe.Security.Soc.Ingest;

namespace Spbe.Security.Soc.Store;

/// <summary>
/// Where events end up, searchable: SQLite with FTS5 by default. Event writes come from one thread, the pipeline's, in
/// write-ahead log order; queries may come from anywhere at any time.
/// </summary>
public interface IEventStore : IDisposable
{
    /// <summary>Whether <paramref name="record"/> (by its sequence number) is already stored; used when the write-ahead
    /// log is replayed on start, so that a replay stores nothing twice.</summary>
    bool Contains(IngestRecord record);

    /// <summary>Stores a batch (in sequence order) with the alerts detection attached to its events
    /// (<see cref="SocEvent.Alert"/>); when it returns the batch is committed and found by every query, alerts included.</summary>
    void Write(IReadOnlyList<SocEvent> events);

    /// <summary>Does the work a store may defer while writes keep coming (SQLite: bringing the full-text index up to
    /// date); the pipeline calls it when ingest goes quiet. Queries give the same answers before and after.</summary>
    void Flush();

    /// <summary>Removes events older than <paramref name="days"/> days before <paramref name="now"/>; returns the number
    /// of partitions removed.</summary>
    int ApplyRetention(DateTimeOffset now, int days);

    /// <summary>One page of events matching <paramref name="query"/>, newest first.</summary>
    Task<EventPage> QueryAsync(EventQuery query, CancellationToken cancellationToken = default);

    /// <summary>How many events match <paramref name="query"/> (its limit and cursor are ignored).</summary>
    Task<long> CountAsync(EventQuery query, CancellationToken cancellationToken = default);
}
