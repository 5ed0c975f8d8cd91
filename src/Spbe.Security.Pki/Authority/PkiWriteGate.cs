namespace Spbe.Security.Pki.Authority;

/// <summary>
/// Serialises the PKI's writes within this process: each one appends to the hash-chained ledger, whose next entry
/// depends on the last. (Another process on the same data collides on the ledger's key instead, and retries.)
/// </summary>
internal sealed class PkiWriteGate : IDisposable
{
    private readonly SemaphoreSlim _semaphore = new(1, 1);

    public async Task<IDisposable> EnterAsync(CancellationToken cancellationToken)
    {
        await _semaphore.WaitAsync(cancellationToken);
        return new Release(_semaphore);
    }

    public void Dispose() => _semaphore.Dispose();

    private sealed class Release(SemaphoreSlim semaphore) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                semaphore.Release();
            }
        }
    }
}
