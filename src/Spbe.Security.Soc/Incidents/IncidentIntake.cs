using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Spbe.Security.Soc.Store;

namespace Spbe.Security.Soc.Incidents;

/// <summary>
/// Hands the alerts the pipeline has stored to the incident service on a thread of its own, so that the event store
/// never waits for the incident store. Bounded: when incidents fall behind, the pipeline's store writer waits (and with
/// it, through the ingest budget, the senders); nothing is dropped for being slow.
/// </summary>
public sealed class IncidentIntake : IAsyncDisposable
{
    private const int QueueBatches = 64;

    private readonly IncidentService _service;
    private readonly ILogger<IncidentIntake> _logger;
    private readonly TimeProvider _time;
    private readonly Channel<Item> _queue = Channel.CreateBounded<Item>(new BoundedChannelOptions(QueueBatches) { SingleReader = true });
    private readonly Lazy<Task> _loop;

    /// <summary>Creates the intake; its thread starts with the first batch.</summary>
    public IncidentIntake(IncidentService service, TimeProvider time, ILogger<IncidentIntake> logger)
    {
        _service = service;
        _time = time;
        _logger = logger;
        _loop = new Lazy<Task>(() => Task.Factory.StartNew(LoopAsync, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap());
    }

    /// <summary>The incident service.</summary>
    public IncidentService Service => _service;

    /// <summary>Queues the alerted events among <paramref name="events"/> (others are ignored), waiting while the queue is full.</summary>
    public async ValueTask PostAsync(IReadOnlyList<SocEvent> events, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(events);
        List<SocEvent>? alerted = null;
        foreach (var e in events)
        {
            if (e.Alert is { } alert && alert.Level >= _service.MinLevel)
            {
                (alerted ??= []).Add(e);
            }
        }

        if (alerted is null)
        {
            return;
        }

        _ = _loop.Value;
        if (!await WriteAsync(new Item(alerted, null), cancellationToken))
        {
            // Note: shutting down; the alerts are stored with their events, only their incidents are not updated.
            Log.IncidentRecordFailed(_logger, new ObjectDisposedException(nameof(IncidentIntake)), alerted.Count, 3);
        }
    }

    /// <summary>Waits until everything queued so far is recorded (tests and shutdown).</summary>
    public async Task DrainAsync(CancellationToken cancellationToken = default)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _ = _loop.Value;
        if (_queue.Writer.TryWrite(new Item([], done)) || await WriteAsync(new Item([], done), cancellationToken))
        {
            await done.Task.WaitAsync(cancellationToken);
        }
    }

    private async Task<bool> WriteAsync(Item item, CancellationToken cancellationToken)
    {
        try
        {
            await _queue.Writer.WriteAsync(item, cancellationToken);
            return true;
        }
        catch (ChannelClosedException)
        {
            return false;
        }
    }

    /// <summary>Records what is queued and stops.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        if (_loop.IsValueCreated)
        {
            await _loop.Value;
        }
    }

    private async Task LoopAsync()
    {
        while (await _queue.Reader.WaitToReadAsync())
        {
            while (_queue.Reader.TryRead(out var item))
            {
                if (item.Events.Count > 0)
                {
                    await RecordAsync(item.Events);
                }

                item.Done?.TrySetResult();
            }
        }
    }

    private async Task RecordAsync(List<SocEvent> events)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await _service.RecordAsync(events);
                return;
            }
            catch (Exception ex) when (ex is Microsoft.EntityFrameworkCore.DbUpdateException or System.Data.Common.DbException or InvalidOperationException or SpbeException)
            {
                // Note: the alerts stay stored with their events (and searchable); only their incident is missing.
                Log.IncidentRecordFailed(_logger, ex, events.Count, attempt);
                if (attempt == 3)
                {
                    return;
                }

                await Task.Delay(TimeSpan.FromSeconds(attempt), _time);
            }
        }
    }

    private sealed record Item(List<SocEvent> Events, TaskCompletionSource? Done);
}
