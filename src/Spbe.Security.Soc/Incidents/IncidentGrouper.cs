using Spbe.Security.Soc.Store;

namespace Spbe.Security.Soc.Incidents;

/// <summary>
/// Which open incident a new alert belongs to: alerts with the same key (OPD, rule, and the alert's subject: its source
/// address, else its user, else its host) go to the same incident while it is open and its last alert is no older than
/// the window; otherwise they start a new one. In memory, bounded by the open incidents within the window (a sweep drops
/// the rest). Not thread-safe: the incident service serialises its use.
/// </summary>
public sealed class IncidentGrouper(TimeSpan window)
{
    private readonly long _windowMs = (long)window.TotalMilliseconds;
    private readonly Dictionary<string, Tracked> _byKey = new(StringComparer.Ordinal);
    private readonly Dictionary<long, string> _keyOf = [];

    /// <summary>The grouping window.</summary>
    public TimeSpan Window { get; } = window;

    /// <summary>Open incidents tracked.</summary>
    public int Count => _byKey.Count;

    /// <summary>The grouping key of an alerted event.</summary>
    public static string KeyOf(SocEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var alert = e.Alert ?? throw new ArgumentException("the event has no alert", nameof(e));
        var (ip, user, host) = SubjectOf(e);
        var subject = ip is not null ? "ip:" + ip : user is not null ? "user:" + user : "host:" + host;
        return string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{e.Opd ?? "-"}|{alert.RuleId}|{subject}");
    }

    /// <summary>The alert's source address, user and host (from the decoder's fields and the syslog header).</summary>
    public static (string? Ip, string? User, string Host) SubjectOf(SocEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        string? ip = null, user = null;
        foreach (var (name, value) in e.Alert?.Fields ?? [])
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                continue;
            }

            switch (name)
            {
                case "srcip" when ip is null:
                    ip = value;
                    break;
                case "srcuser" or "dstuser" or "user" or "user.name" when user is null:
                    user = value;
                    break;
            }
        }

        var host = !string.IsNullOrEmpty(e.Syslog.Hostname) ? e.Syslog.Hostname : e.Source;
        return (ip, user, host);
    }

    /// <summary>The open incident for <paramref name="key"/> whose last alert is within the window of <paramref name="at"/>
    /// (Unix ms), if any.</summary>
    public bool TryFind(string key, long at, out long incidentId)
    {
        if (_byKey.TryGetValue(key, out var tracked) && at - tracked.LastSeen <= _windowMs)
        {
            incidentId = tracked.Id;
            return true;
        }

        incidentId = 0;
        return false;
    }

    /// <summary>Tracks (or updates) an open incident.</summary>
    public void Track(string key, long incidentId, long lastSeen)
    {
        if (_keyOf.TryGetValue(incidentId, out var old) && !string.Equals(old, key, StringComparison.Ordinal))
        {
            _byKey.Remove(old);
        }

        if (_byKey.TryGetValue(key, out var existing) && existing.Id != incidentId)
        {
            _keyOf.Remove(existing.Id);
        }

        _byKey[key] = new Tracked(incidentId, existing.Id == incidentId ? Math.Max(lastSeen, existing.LastSeen) : lastSeen);
        _keyOf[incidentId] = key;
    }

    /// <summary>Stops tracking an incident (closed, merged away).</summary>
    public void Forget(long incidentId)
    {
        if (_keyOf.Remove(incidentId, out var key))
        {
            _byKey.Remove(key);
        }
    }

    /// <summary>Drops the incidents whose last alert is older than the window before <paramref name="now"/> (Unix ms).</summary>
    public int Sweep(long now)
    {
        var stale = _byKey.Where(p => now - p.Value.LastSeen > _windowMs).ToList();
        foreach (var (key, tracked) in stale)
        {
            _byKey.Remove(key);
            _keyOf.Remove(tracked.Id);
        }

        return stale.Count;
    }

    private readonly record struct Tracked(long Id, long LastSeen);
}
