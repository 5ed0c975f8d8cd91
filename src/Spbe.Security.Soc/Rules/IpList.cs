using System.Net;

namespace Spbe.Security.Soc.Rules;

/// <summary>The addresses of a rule's <c>srcip</c>/<c>dstip</c>: IPv4 or IPv6, with a prefix length or an IPv4
/// netmask, or <c>any</c>. A leading <c>!</c> is accepted and, as in Wazuh 4.4 and later, ignored (<c>negate="yes"</c>
/// negates).</summary>
internal sealed class IpList
{
    private readonly List<(byte[] Network, int Prefix)> _entries = [];

    public static bool TryAdd(IpList list, string text)
    {
        var entry = text.Trim().TrimStart('!');
        if (string.Equals(entry, "any", StringComparison.OrdinalIgnoreCase))
        {
            list._entries.Add(([], 0));
            return true;
        }

        var slash = entry.IndexOf('/', StringComparison.Ordinal);
        var address = slash < 0 ? entry : entry[..slash];
        if (!IPAddress.TryParse(address, out var ip))
        {
            return false;
        }

        var bytes = ip.GetAddressBytes();
        var prefix = bytes.Length * 8;
        if (slash >= 0)
        {
            var mask = entry[(slash + 1)..];
            if (int.TryParse(mask, out var bits) && bits >= 0 && bits <= prefix)
            {
                prefix = bits;
            }
            else if (bytes.Length == 4 && IPAddress.TryParse(mask, out var netmask) && netmask.GetAddressBytes().Length == 4)
            {
                prefix = netmask.GetAddressBytes().Sum(b => System.Numerics.BitOperations.PopCount(b));
            }
            else
            {
                return false;
            }
        }

        list._entries.Add((bytes, prefix));
        return true;
    }

    /// <summary>Whether <paramref name="value"/> is an address inside any entry (a value that is no address is not).</summary>
    public bool Contains(string value)
    {
        if (!IPAddress.TryParse(value.Trim(), out var ip))
        {
            return false;
        }

        var bytes = ip.GetAddressBytes();
        foreach (var (network, prefix) in _entries)
        {
            if (network.Length == 0)
            {
                return true;
            }

            if (network.Length == bytes.Length && SamePrefix(network, bytes, prefix))
            {
                return true;
            }
        }

        return false;
    }

    private static bool SamePrefix(byte[] a, byte[] b, int prefix)
    {
        for (var i = 0; i < a.Length && prefix > 0; i++, prefix -= 8)
        {
            var mask = prefix >= 8 ? 0xFF : (byte)(0xFF << (8 - prefix));
            if ((a[i] & mask) != (b[i] & mask))
            {
                return false;
            }
        }

        return true;
    }
}
