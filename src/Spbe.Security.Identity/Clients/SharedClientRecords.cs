using System.Collections.Concurrent;
using OpenIddict.EntityFrameworkCore.Models;

namespace Spbe.Security.Identity.Clients;

/// <summary>Client records shared across requests for a short time (see <see cref="CachingApplicationManager"/>).</summary>
internal sealed class SharedClientRecords(TimeProvider time)
{
    /// <summary>How long a record is served without reading the database again.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(30);

    private const int Capacity = 10_000;
    private readonly ConcurrentDictionary<string, (OpenIddictEntityFrameworkCoreApplication Application, DateTimeOffset Expires)> _records = new(StringComparer.Ordinal);
    private long _generation;

    /// <summary>Changes whenever a record is forgotten; a read that started before a change must not be remembered.</summary>
    public long Generation => Interlocked.Read(ref _generation);

    public bool TryGet(string clientId, out OpenIddictEntityFrameworkCoreApplication? application)
    {
        if (_records.TryGetValue(clientId, out var entry) && entry.Expires > time.GetUtcNow())
        {
            application = entry.Application;
            return true;
        }

        application = null;
        return false;
    }

    public void Remember(string clientId, OpenIddictEntityFrameworkCoreApplication application, long readAtGeneration)
    {
        // Note: a record read before a secret rotation or removal in this process is never stored after it.
        if (readAtGeneration != Generation)
        {
            return;
        }

        if (_records.Count >= Capacity)
        {
            _records.Clear();
        }

        _records[clientId] = (application, time.GetUtcNow() + Lifetime);
    }

    public void Forget(string? clientId)
    {
        Interlocked.Increment(ref _generation);
        if (clientId is not null)
        {
            _records.TryRemove(clientId, out _);
        }
    }
}
