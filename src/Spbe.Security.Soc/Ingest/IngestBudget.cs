namespace Spbe.Security.Soc.Ingest;

/// <summary>
/// Bounds what the pipeline holds in memory: a batch takes units before it is queued and gives them back once the
/// store has it. A record costs one unit per started 4 KiB, so the bound holds for large messages as well as for many
/// small ones. TCP, TLS, RELP and HTTP wait for units (their senders slow down); UDP cannot wait and drops.
/// </summary>
internal sealed class IngestBudget
{
    private const int UnitBytes = 4096;

    private readonly long _capacity;
    private readonly Queue<(long Units, TaskCompletionSource Ready)> _waiters = new();
    private readonly Lock _gate = new();
    private long _available;

    public IngestBudget(long capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        _capacity = capacity;
        _available = capacity;
    }

    /// <summary>Units currently taken.</summary>
    public long InUse
    {
        get
        {
            lock (_gate)
            {
                return _capacity - _available;
            }
        }
    }

    /// <summary>The units <paramref name="records"/> cost.</summary>
    public static long CostOf(IReadOnlyList<IngestRecord> records)
    {
        long units = 0;
        foreach (var record in records)
        {
            units += 1 + (record.Raw.Length / UnitBytes);
        }

        return units;
    }

    /// <summary>Takes <paramref name="units"/> without waiting; false when they are not available.</summary>
    public bool TryTake(long units)
    {
        lock (_gate)
        {
            // Note: a batch larger than the whole budget still goes through when nothing else is queued.
            if (_waiters.Count == 0 && (_available >= units || _available == _capacity))
            {
                _available -= units;
                return true;
            }

            return false;
        }
    }

    /// <summary>Takes <paramref name="units"/>, waiting in line for them.</summary>
    public Task TakeAsync(long units, CancellationToken cancellationToken)
    {
        TaskCompletionSource ready;
        lock (_gate)
        {
            if (_waiters.Count == 0 && (_available >= units || _available == _capacity))
            {
                _available -= units;
                return Task.CompletedTask;
            }

            ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Enqueue((units, ready));
        }

        // Note: a cancelled waiter stays in the queue; Release skips it and hands its place to the next.
        return cancellationToken.CanBeCanceled ? ready.Task.WaitAsync(cancellationToken).ContinueWith(
            t =>
            {
                if (t.IsCanceled && !ready.TrySetCanceled())
                {
                    // Note: granted just as it was cancelled: give the units back.
                    Return(units);
                }

                t.GetAwaiter().GetResult();
            },
            CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default) : ready.Task;
    }

    /// <summary>Gives back <paramref name="units"/> and lets waiting batches in, in order.</summary>
    public void Return(long units)
    {
        lock (_gate)
        {
            _available = Math.Min(_capacity, _available + units);
            while (_waiters.Count > 0)
            {
                var (wanted, ready) = _waiters.Peek();
                if (ready.Task.IsCompleted)
                {
                    _waiters.Dequeue();
                    continue;
                }

                if (_available < wanted && _available != _capacity)
                {
                    break;
                }

                _waiters.Dequeue();
                _available -= wanted;
                if (!ready.TrySetResult())
                {
                    _available += wanted;
                }
            }
        }
    }
}
