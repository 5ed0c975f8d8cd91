using System.Net;
using Microsoft.Extensions.Options;

namespace Spbe.Security.Host.Hosting;

/// <summary>Decides whether a caller may read operational detail (metrics, readiness detail): deny unless the
/// connection comes from a configured network.</summary>
internal sealed class OperationalAccess
{
    private readonly IPNetwork[] _networks;

    public OperationalAccess(IOptions<HostingOptions> options)
    {
        var configured = options.Value.OperationalNetworks;
        _networks = [.. (configured.Count > 0 ? configured : HostingDefaults.OperationalNetworks).Select(n => IPNetwork.Parse(n))];
    }

    public bool IsAllowed(HttpContext context)
    {
        var remote = context.Connection.RemoteIpAddress;
        if (remote is null)
        {
            return false;
        }

        if (remote.IsIPv4MappedToIPv6)
        {
            remote = remote.MapToIPv4();
        }

        return _networks.Any(n => n.Contains(remote));
    }
}
