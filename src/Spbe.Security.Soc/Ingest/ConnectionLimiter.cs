using System.Net;

namespace Spbe.Security.Soc.Ingest;

/// <summary>Counts open connections per sender address, so that one flooding source cannot take every slot.</summary>
internal sealed class ConnectionLimiter(int perSource)
{
    private readonly Dictionary<IPAddress, int> _open = [];
    private readonly Lock _gate = new();

    /// <summary>The limit per sender.</summary>
    public int PerSource => perSource;

    /// <summary>Takes a slot for <paramref name="address"/>; false when it already holds the limit.</summary>
    public bool TryEnter(IPAddress address)
    {
        lock (_gate)
        {
            var count = _open.GetValueOrDefault(address);
            if (count >= perSource)
            {
                return false;
            }

            _open[address] = count + 1;
            return true;
        }
    }

    /// <summary>Gives back a slot of <paramref name="address"/>.</summary>
    public void Exit(IPAddress address)
    {
        lock (_gate)
        {
            if (_open.TryGetValue(address, out var count))
            {
                if (count <= 1)
                {
                    _open.Remove(address);
                }
                else
                {
                    _open[address] = count - 1;
                }
            }
        }
    }
}
