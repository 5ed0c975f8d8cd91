using System.Collections.Concurrent;
using Spbe.Security.Soc.Parsing;

namespace Spbe.Security.Soc.Ingest;

/// <summary>
/// The pipeline's operational counters: received, parsed, flagged and dropped events (by label), events stored, WAL
/// bytes and damaged records, and the gauges WAL size and store lag. The Host publishes them at <c>/metrics</c> as
/// <c>spbe_soc_*</c>; the SOC project itself stays free of any metrics library.
/// </summary>
public sealed class SocMetrics
{
    private readonly ConcurrentDictionary<(string Name, string Label), long> _counters = new();
    private Func<long> _walSize = () => 0;
    private Func<long> _storeLag = () => 0;

    /// <summary>A counter: its name (<c>received</c>, <c>parsed</c>, <c>flagged</c>, <c>dropped</c>, <c>stored</c>,
    /// <c>wal_written_bytes</c>, <c>wal_corrupt_records</c>), its label value (transport, format, flag, reason; empty
    /// for none) and its total.</summary>
    public readonly record struct Sample(string Name, string Label, long Value);

    /// <summary>Events received so far.</summary>
    public long ReceivedTotal => Sum("received");

    /// <summary>Events dropped so far (all reasons).</summary>
    public long DroppedTotal => Sum("dropped");

    /// <summary>Events stored so far.</summary>
    public long StoredTotal => Sum("stored");

    /// <summary>Bytes in the write-ahead log's segments now.</summary>
    public long WalSizeBytes => _walSize();

    /// <summary>Events in the write-ahead log not yet in the store.</summary>
    public long StoreLag => _storeLag();

    /// <summary>Every counter with its label.</summary>
    public IReadOnlyList<Sample> Counters() => [.. _counters.Select(c => new Sample(c.Key.Name, c.Key.Label, c.Value))];

    /// <summary>Counts <paramref name="count"/> events (or connections) dropped for <paramref name="reason"/>.</summary>
    public void Dropped(string reason, int count = 1) => Add("dropped", reason, count);

    internal void Observe(Func<long> walSizeBytes, Func<long> storeLag)
    {
        _walSize = walSizeBytes;
        _storeLag = storeLag;
    }

    internal void Alerted(Alerts.SocAlert alert) => Add("alerts", alert.Level.ToString(System.Globalization.CultureInfo.InvariantCulture), 1);

    internal void Received(IngestTransport transport, int count) => Add("received", transport.ToString().ToLowerInvariant(), count);

    internal void Parsed(Store.SocEvent e)
    {
        var format = e.Transport is IngestTransport.Http or IngestTransport.Internal ? "json" : e.Syslog.Format switch
        {
            SyslogFormat.Rfc5424 => "rfc5424",
            SyslogFormat.Rfc3164 => "rfc3164",
            _ => "none",
        };
        Add("parsed", format, 1);
        if (e.Flags != IngestFlags.None)
        {
            foreach (var name in Store.SocEventJson.FlagNames(e.Flags))
            {
                Add("flagged", name, 1);
            }
        }
    }

    internal void WalWritten(long bytes) => Add("wal_written_bytes", "", bytes);

    internal void WalCorrupt(int records) => Add("wal_corrupt_records", "", records);

    internal void Stored(int count) => Add("stored", "", count);

    private void Add(string name, string label, long count) => _counters.AddOrUpdate((name, label), count, (_, v) => v + count);

    private long Sum(string name) => _counters.Where(c => c.Key.Name == name).Sum(c => c.Value);
}
