using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Spbe.Security.Data;
using Spbe.Security.Soc.Alerts;
using Spbe.Security.Soc.Parsing;
using Spbe.Security.Soc.Store;
using Spbe.Security.Soc.Wal;

namespace Spbe.Security.Soc.Ingest;

/// <summary>
/// Receivers hand batches of records here. One writer appends them to the write-ahead log with group commit (every
/// batch queued while the previous fsync ran goes into the next one) and acknowledges them; the next thread parses them
/// and runs them through the detection rules; the last stores each batch with its alerts in one transaction. Memory is
/// bounded by <see cref="IngestBudget"/>: when the store falls behind, receivers wait, and with them their senders.
/// </summary>
public sealed class IngestPipeline : IAsyncDisposable
{
    private const int MaxWalBatchRecords = 65_536;

    /// <summary>Analysed batches that may wait for the store (up to about 33,000 events): bursts are absorbed, and
    /// only a store slower than analysis for that long holds analysis back.</summary>
    private const int StoreQueueBatches = 4;

    /// <summary>How long ingest stays quiet before the store does the work it deferred (<see cref="IEventStore.Flush"/>).</summary>
    private static readonly TimeSpan FlushWhenQuietFor = TimeSpan.FromSeconds(1);

    private readonly SocOptions _options;
    private readonly IEventStore _store;
    private readonly SocMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger<IngestPipeline> _logger;
    private readonly WriteAheadLog _wal;
    private readonly IngestBudget _budget;
    private readonly TimeZoneInfo _zone;
    private readonly Func<int> _retentionDays;
    private readonly AlertDetector? _detector;
    private readonly Incidents.IncidentIntake? _incidents;
    private readonly Channel<Batch> _toWal = Channel.CreateUnbounded<Batch>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Channel<Batch> _toAnalyse = Channel.CreateUnbounded<Batch>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    private readonly Channel<Analysed> _toStore =
        Channel.CreateBounded<Analysed>(new BoundedChannelOptions(StoreQueueBatches) { SingleReader = true, SingleWriter = true });
    private Task? _walWriter;
    private Task? _analyser;
    private Task? _storeWriter;
    private long _appendedThrough;
    private long _storedThrough;
    private long _walSize;
    private int _started;

    /// <summary>Creates the pipeline over the data directory's <c>wal/</c>; nothing happens until <see cref="StartAsync"/>.</summary>
    public IngestPipeline(
        IOptions<SocOptions> options, DataDirectory dataDirectory, IEventStore store, SocMetrics metrics, SocRetentionPolicy retention,
        TimeProvider time, ILogger<IngestPipeline> logger, AlertDetector? detector = null, Incidents.IncidentIntake? incidents = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(dataDirectory);
        ArgumentNullException.ThrowIfNull(retention);
        _options = options.Value;
        _store = store;
        _metrics = metrics;
        _time = time;
        _logger = logger;
        _wal = new WriteAheadLog(Path.Combine(dataDirectory.Root, "wal"), _options.WalSegmentBytes, _options.WalFsync, logger);
        _budget = new IngestBudget(_options.IngestQueueCapacity);
        _zone = TimeZoneInfo.FindSystemTimeZoneById(_options.SourceTimeZone);
        _retentionDays = () => retention.Days;
        _detector = detector;
        _incidents = incidents;
        Duplicates = new DuplicateTracker(_options.DuplicateWindow);
        metrics.Observe(() => Interlocked.Read(ref _walSize), () => Math.Max(0, Interlocked.Read(ref _appendedThrough) - Interlocked.Read(ref _storedThrough)));
    }

    /// <summary>What opening the write-ahead log found (after <see cref="StartAsync"/>).</summary>
    public WalRecovery? Recovery { get; private set; }

    /// <summary>Events replayed into the store on start.</summary>
    public long Replayed { get; private set; }

    /// <summary>The highest sequence number on disk in the write-ahead log.</summary>
    public long AppendedThrough => Interlocked.Read(ref _appendedThrough);

    /// <summary>The highest sequence number the store holds, with everything before it.</summary>
    public long StoredThrough => Interlocked.Read(ref _storedThrough);

    /// <summary>The recent messages of each RELP sender, for duplicate marking.</summary>
    internal DuplicateTracker Duplicates { get; }

    /// <summary>The counters the pipeline and its receivers update.</summary>
    public SocMetrics Metrics => _metrics;

    internal TimeProvider Time => _time;

    /// <summary>Opens the write-ahead log, stores what it holds that the store lacks, and starts the writers.</summary>
    public Task StartAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (Interlocked.Exchange(ref _started, 1) == 1)
        {
            return Task.CompletedTask;
        }

        var pending = new List<SocEvent>();
        var replayedAlerts = new List<SocEvent>();
        long replayed = 0;
        Recovery = _wal.Open(record =>
        {
            if (record.Transport == IngestTransport.Relp)
            {
                Duplicates.Remember(record);
            }

            if (!_store.Contains(record))
            {
                pending.Add(Normalize(record));
                if (pending.Count >= _options.StoreBatchSize)
                {
                    Detect(pending);
                    _store.Write(pending);
                    CountAlerts(pending);
                    replayedAlerts.AddRange(pending.Where(e => e.Alert is not null));
                    replayed += pending.Count;
                    pending = [];
                }
            }
        });
        if (pending.Count > 0)
        {
            Detect(pending);
            _store.Write(pending);
            CountAlerts(pending);
            replayedAlerts.AddRange(pending.Where(e => e.Alert is not null));
            replayed += pending.Count;
        }

        _store.Flush();

        Replayed = replayed;
        _metrics.WalCorrupt(Recovery.CorruptRecords);
        _appendedThrough = Recovery.LastSequence;
        _storedThrough = Recovery.LastSequence;
        _walSize = _wal.SizeBytes;
        _wal.ReleaseThrough(_storedThrough);
        ApplyRetention();
        Log.WalOpened(_logger, Recovery.Segments, Recovery.Records, Recovery.LastSequence, replayed);
        _walWriter = Task.Factory.StartNew(WalLoopAsync, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();
        _analyser = Task.Factory.StartNew(AnalyseLoopAsync, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();
        _storeWriter = Task.Factory.StartNew(StoreLoopAsync, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();
        // Note: the alerts of replayed events (stored before a crash, detected now) make their incidents too.
        return _incidents is not null && replayedAlerts.Count > 0 ? _incidents.PostAsync(replayedAlerts, cancellationToken).AsTask() : Task.CompletedTask;
    }

    /// <summary>Queues <paramref name="records"/>, waiting while the pipeline is full. With <paramref name="durable"/> it
    /// returns only once they are on disk in the write-ahead log (the acknowledgement point of RELP and HTTP).</summary>
    /// <exception cref="InvalidOperationException">The pipeline is stopping.</exception>
    public async Task SubmitAsync(IReadOnlyList<IngestRecord> records, bool durable, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        if (records.Count == 0)
        {
            return;
        }

        if (Volatile.Read(ref _started) == 0)
        {
            // Note: nobody would write them (the listeners are off, or not started yet): refuse rather than fill memory.
            throw new InvalidOperationException("The SOC pipeline is not running.");
        }

        var units = IngestBudget.CostOf(records);
        await _budget.TakeAsync(units, cancellationToken);
        var batch = new Batch(records, units, durable ? new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously) : null);
        _metrics.Received(records[0].Transport, records.Count);
        if (!_toWal.Writer.TryWrite(batch))
        {
            _budget.Return(units);
            throw new InvalidOperationException("The SOC pipeline is stopping.");
        }

        if (batch.Durable is { } done)
        {
            await done.Task.WaitAsync(cancellationToken);
        }
    }

    /// <summary>Queues <paramref name="records"/> if there is room now (UDP cannot wait); false when they were dropped.</summary>
    public bool TrySubmit(IReadOnlyList<IngestRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        if (records.Count == 0)
        {
            return true;
        }

        var units = IngestBudget.CostOf(records);
        _metrics.Received(records[0].Transport, records.Count);
        if (Volatile.Read(ref _started) == 0)
        {
            _metrics.Dropped("stopping", records.Count);
            return false;
        }

        if (!_budget.TryTake(units))
        {
            _metrics.Dropped("queue_full", records.Count);
            return false;
        }

        if (!_toWal.Writer.TryWrite(new Batch(records, units, null)))
        {
            _budget.Return(units);
            _metrics.Dropped("stopping", records.Count);
            return false;
        }

        return true;
    }

    /// <summary>Waits until everything queued so far is in the store (tests and shutdown).</summary>
    public async Task DrainAsync(CancellationToken cancellationToken = default)
    {
        var marker = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (_toWal.Writer.TryWrite(new Batch([], 0, null, marker)))
        {
            await marker.Task.WaitAsync(cancellationToken);
        }
    }

    /// <summary>Stops taking records, writes what is queued, and closes the write-ahead log.</summary>
    public async ValueTask DisposeAsync()
    {
        _toWal.Writer.TryComplete();
        if (_walWriter is not null)
        {
            await _walWriter;
        }

        if (_analyser is not null)
        {
            await _analyser;
        }

        if (_storeWriter is not null)
        {
            await _storeWriter;
        }

        _wal.Dispose();
    }

    internal SocEvent Normalize(IngestRecord record) => EventNormalizer.Normalize(record, _zone);

    /// <summary>Runs events through the detection rules, attaching their alerts (<see cref="SocEvent.Alert"/>), on the
    /// analysis thread or during start before the writers run. Whatever a log line makes the rules do, the events go on to
    /// the store: a failure is logged (SOC-0505) and the rest of the batch is stored without alerts.</summary>
    private void Detect(List<SocEvent> events)
    {
        if (_detector is null)
        {
            return;
        }

        try
        {
            foreach (var e in events)
            {
                e.Alert = _detector.Detect(e);
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            Log.DetectionFailed(_logger, ex, events.Count);
            _metrics.Dropped("detection", events.Count);
        }
    }

    private void CountAlerts(List<SocEvent> events)
    {
        if (_detector is null)
        {
            return;
        }

        foreach (var e in events)
        {
            if (e.Alert is { } alert)
            {
                _metrics.Alerted(alert);
            }
        }
    }

    private async Task WalLoopAsync()
    {
        var batches = new List<Batch>();
        var records = new List<IngestRecord>();
        while (await _toWal.Reader.WaitToReadAsync())
        {
            while (records.Count < MaxWalBatchRecords && _toWal.Reader.TryRead(out var batch))
            {
                batches.Add(batch);
                records.AddRange(batch.Records);
            }

            while (records.Count > 0)
            {
                try
                {
                    var bytes = _wal.Append(records);
                    _metrics.WalWritten(bytes);
                    break;
                }
                catch (IOException ex)
                {
                    // Note: nothing is acknowledged until the append succeeds; receivers wait (budget) meanwhile.
                    Log.WalWriteFailed(_logger, ex);
                    await Task.Delay(TimeSpan.FromSeconds(1), _time);
                }
            }

            Interlocked.Exchange(ref _appendedThrough, _wal.NextSequence - 1);
            _wal.ReleaseThrough(Interlocked.Read(ref _storedThrough));
            Interlocked.Exchange(ref _walSize, _wal.SizeBytes);
            foreach (var batch in batches)
            {
                batch.Durable?.TrySetResult();
                _toAnalyse.Writer.TryWrite(batch);
            }

            batches.Clear();
            records.Clear();
        }

        _toAnalyse.Writer.TryComplete();
    }

    /// <summary>Parses what the write-ahead log took and runs it through the rules (the store's batch at a time), while
    /// the store writer stores the batch before.</summary>
    private async Task AnalyseLoopAsync()
    {
        try
        {
            while (await _toAnalyse.Reader.WaitToReadAsync())
            {
                var analysed = new Analysed([], []);
                while (analysed.Events.Count < _options.StoreBatchSize && _toAnalyse.Reader.TryRead(out var batch))
                {
                    analysed.Batches.Add(batch);
                    foreach (var record in batch.Records)
                    {
                        var e = Normalize(record);
                        _metrics.Parsed(e);
                        analysed.Events.Add(e);
                    }
                }

                Detect(analysed.Events);
                await _toStore.Writer.WriteAsync(analysed);
            }
        }
        finally
        {
            _toStore.Writer.TryComplete();
        }
    }

    private async Task StoreLoopAsync()
    {
        var nextRetention = _time.GetUtcNow().AddHours(1);
        var unflushed = false;
        while (await WaitForBatchesAsync(unflushed))
        {
            while (_toStore.Reader.TryRead(out var analysed))
            {
                var events = analysed.Events;
                while (events.Count > 0)
                {
                    try
                    {
                        _store.Write(events);
                        unflushed = true;
                        break;
                    }
                    catch (Exception ex) when (ex is IOException or Microsoft.Data.Sqlite.SqliteException or InvalidOperationException)
                    {
                        Log.StoreWriteFailed(_logger, ex, events.Count);
                        await Task.Delay(TimeSpan.FromSeconds(1), _time);
                    }
                }

                if (events.Count > 0)
                {
                    _metrics.Stored(events.Count);
                    CountAlerts(events);
                    Interlocked.Exchange(ref _storedThrough, events[^1].Sequence);
                    if (_incidents is not null && _detector is not null)
                    {
                        await _incidents.PostAsync(events);
                    }
                }

                foreach (var batch in analysed.Batches)
                {
                    _budget.Return(batch.Units);
                    batch.Stored?.TrySetResult();
                }
            }

            if (_time.GetUtcNow() >= nextRetention)
            {
                ApplyRetention();
                nextRetention = _time.GetUtcNow().AddHours(1);
            }
        }

        FlushStore();
    }

    /// <summary>Waits for batches for the store (false once there will be none); when ingest is quiet for
    /// <see cref="FlushWhenQuietFor"/> with writes not flushed yet, flushes the store meanwhile.</summary>
    private async ValueTask<bool> WaitForBatchesAsync(bool unflushed)
    {
        if (!unflushed || _toStore.Reader.TryPeek(out _))
        {
            return await _toStore.Reader.WaitToReadAsync();
        }

        using (var quiet = new CancellationTokenSource(FlushWhenQuietFor, _time))
        {
            try
            {
                return await _toStore.Reader.WaitToReadAsync(quiet.Token);
            }
            catch (OperationCanceledException) when (quiet.IsCancellationRequested)
            {
            }
        }

        FlushStore();
        return await _toStore.Reader.WaitToReadAsync();
    }

    private void FlushStore()
    {
        try
        {
            _store.Flush();
        }
        catch (Exception ex) when (ex is IOException or Microsoft.Data.Sqlite.SqliteException or InvalidOperationException)
        {
            Log.StoreFlushFailed(_logger, ex);
        }
    }

    private void ApplyRetention()
    {
        var removed = _store.ApplyRetention(_time.GetUtcNow(), _retentionDays());
        if (removed > 0)
        {
            Log.RetentionApplied(_logger, removed, _retentionDays());
        }
    }

    private sealed record Batch(IReadOnlyList<IngestRecord> Records, long Units, TaskCompletionSource? Durable, TaskCompletionSource? Stored = null);

    /// <summary>Batches parsed and run through the rules, on their way to the store.</summary>
    private sealed record Analysed(List<SocEvent> Events, List<Batch> Batches);
}
