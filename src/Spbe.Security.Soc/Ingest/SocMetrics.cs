using System.Diagnostics.Metrics;
using Spbe.Security.Soc.Parsing;

namespace Spbe.Security.Soc.Ingest;

/// <summary>
/// The pipeline's operational counters, as .NET metrics (meter <c>Spbe.Security.Soc</c>), which the Host's
/// <c>/metrics</c> serves to Prometheus: received, parsed, flagged and dropped events (by reason), WAL bytes and size,
/// store lag. The totals are also kept here for the status API and tests.
/// </summary>
public sealed class SocMetrics : IDisposable
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "Spbe.Security.Soc";

    private readonly Meter _meter;
    private readonly Counter<long> _received;
    private readonly Counter<long> _parsed;
    private readonly Counter<long> _flagged;
    private readonly Counter<long> _dropped;
    private readonly Counter<long> _walBytes;
    private readonly Counter<long> _walCorrupt;
    private readonly Counter<long> _stored;
    private long _receivedTotal;
    private long _droppedTotal;
    private long _storedTotal;

    /// <summary>Creates the instruments on a meter from <paramref name="meterFactory"/> (or a meter of its own).</summary>
    public SocMetrics(IMeterFactory? meterFactory = null)
    {
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        _received = _meter.CreateCounter<long>("spbe.soc.received", "{event}", "Events received, by transport.");
        _parsed = _meter.CreateCounter<long>("spbe.soc.parsed", "{event}", "Events parsed, by header format (none, rfc3164, rfc5424, json).");
        _flagged = _meter.CreateCounter<long>("spbe.soc.flagged", "{event}", "Events stored with a flag (truncated, invalid_utf8, nul_bytes, broken_framing, unknown_source, duplicate).");
        _dropped = _meter.CreateCounter<long>("spbe.soc.dropped", "{event}", "Events or connections dropped, by reason.");
        _walBytes = _meter.CreateCounter<long>("spbe.soc.wal.written", "By", "Bytes appended to the write-ahead log.");
        _walCorrupt = _meter.CreateCounter<long>("spbe.soc.wal.corrupt", "{record}", "Damaged write-ahead log records cut off on start.");
        _stored = _meter.CreateCounter<long>("spbe.soc.stored", "{event}", "Events written to the event store.");
    }

    /// <summary>Events received so far.</summary>
    public long ReceivedTotal => Interlocked.Read(ref _receivedTotal);

    /// <summary>Events dropped so far (all reasons).</summary>
    public long DroppedTotal => Interlocked.Read(ref _droppedTotal);

    /// <summary>Events stored so far.</summary>
    public long StoredTotal => Interlocked.Read(ref _storedTotal);

    /// <summary>Adds the gauges that read the pipeline's state.</summary>
    internal void Observe(Func<long> walSizeBytes, Func<long> storeLag)
    {
        _meter.CreateObservableGauge("spbe.soc.wal.size", walSizeBytes, "By", "Bytes in the write-ahead log's segments.");
        _meter.CreateObservableGauge("spbe.soc.store.lag", storeLag, "{event}", "Events in the write-ahead log not yet in the event store.");
    }

    internal void Received(IngestTransport transport, int count)
    {
        Interlocked.Add(ref _receivedTotal, count);
        _received.Add(count, new KeyValuePair<string, object?>("transport", transport.ToString().ToLowerInvariant()));
    }

    /// <summary>Counts <paramref name="count"/> events (or connections) dropped for <paramref name="reason"/>.</summary>
    public void Dropped(string reason, int count = 1)
    {
        Interlocked.Add(ref _droppedTotal, count);
        _dropped.Add(count, new KeyValuePair<string, object?>("reason", reason));
    }

    internal void Parsed(Store.SocEvent e)
    {
        var format = e.Transport is IngestTransport.Http or IngestTransport.Internal ? "json" : e.Syslog.Format switch
        {
            SyslogFormat.Rfc5424 => "rfc5424",
            SyslogFormat.Rfc3164 => "rfc3164",
            _ => "none",
        };
        _parsed.Add(1, new KeyValuePair<string, object?>("format", format));
        foreach (var flag in Enum.GetValues<IngestFlags>())
        {
            if (flag != IngestFlags.None && (e.Flags & flag) != 0)
            {
                _flagged.Add(1, new KeyValuePair<string, object?>("flag", Store.SocEventJson.FlagName(flag)));
            }
        }
    }

    internal void WalWritten(long bytes) => _walBytes.Add(bytes);

    internal void WalCorrupt(int records) => _walCorrupt.Add(records);

    internal void Stored(int count)
    {
        Interlocked.Add(ref _storedTotal, count);
        _stored.Add(count);
    }

    /// <inheritdoc />
    public void Dispose() => _meter.Dispose();
}
