using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Spbe.Security.Soc.Incidents.Persistence;

namespace Spbe.Security.Soc.Incidents;

/// <summary>
/// The SLA side of incidents: each incident's deadlines and whether it met them (<see cref="Evaluate"/>), the sweep that
/// finds and records breaches once each (<see cref="SweepAsync"/>), and time to acknowledge and to resolve per OPD and
/// month (<see cref="StatsAsync"/>).
/// </summary>
/// <remarks>Deadlines follow the incident's current severity: raising it can put an open incident past its deadline at
/// once, which is what the CSIRT wants to see.</remarks>
public sealed class IncidentSla(IDbContextFactory<IncidentStoreContext> contexts, SlaPolicy policy, TimeProvider time, ILogger<IncidentSla> logger)
{
    /// <summary>The policy in force.</summary>
    public SlaPolicy Policy => policy;

    /// <summary>Where <paramref name="incident"/> stands against its SLA at <paramref name="now"/> (Unix milliseconds).</summary>
    public SlaState Evaluate(IncidentRecord incident, long now)
    {
        ArgumentNullException.ThrowIfNull(incident);
        var targets = policy.For(incident.Severity);
        var ackDue = incident.CreatedAt + (long)targets.Acknowledge.TotalMilliseconds;
        var resolveDue = incident.CreatedAt + (long)targets.Resolve.TotalMilliseconds;
        var ackBreached = (incident.AcknowledgedAt ?? now) > ackDue || incident.AckBreachedAt is not null;
        var resolveBreached = (incident.ClosedAt ?? now) > resolveDue || incident.ResolveBreachedAt is not null;
        return new SlaState(ackDue, resolveDue, incident.AcknowledgedAt is not null, incident.ClosedAt is not null, ackBreached, resolveBreached);
    }

    /// <summary>Records every breach not yet recorded: the incident's breach time and a timeline entry. Returns them, for
    /// the caller to report (security event, notifications).</summary>
    public async Task<IReadOnlyList<SlaBreach>> SweepAsync(CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();

        // Note: a closed incident is looked at only if it closed recently (late since the last sweeps): incidents closed
        // long ago, before there was a monitor or while it was down, count in the figures (Evaluate) but are not
        // announced now, which after an upgrade would be every late incident of the past at once.
        var closedSince = now - (long)Math.Max(TimeSpan.FromHours(1).TotalMilliseconds, 3 * policy.CheckEvery.TotalMilliseconds);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var breaches = new List<SlaBreach>();
        foreach (var severity in Enum.GetValues<IncidentSeverity>())
        {
            var targets = policy.For(severity);
            var ack = (long)targets.Acknowledge.TotalMilliseconds;
            var resolve = (long)targets.Resolve.TotalMilliseconds;
            var late = await db.Incidents.AsNoTracking()
                .Where(i => i.Severity == severity && i.MergedInto == null && (i.ClosedAt == null || i.ClosedAt >= closedSince) && (
                    (i.AckBreachedAt == null && (i.AcknowledgedAt == null ? i.CreatedAt + ack < now : i.AcknowledgedAt - i.CreatedAt > ack))
                    || (i.ResolveBreachedAt == null && (i.ClosedAt == null ? i.CreatedAt + resolve < now : i.ClosedAt - i.CreatedAt > resolve))))
                .Select(i => new { i.Id, i.Title, i.Opd, i.Severity, i.CreatedAt, i.AcknowledgedAt, i.ClosedAt, i.AckBreachedAt, i.ResolveBreachedAt, i.Assignee })
                .Take(1000)
                .ToListAsync(cancellationToken);
            foreach (var i in late)
            {
                if (i.AckBreachedAt is null && (i.AcknowledgedAt ?? now) - i.CreatedAt > ack
                    && await MarkAsync(db, i.Id, SlaKind.Acknowledge, now, cancellationToken))
                {
                    breaches.Add(new SlaBreach(i.Id, i.Title, i.Opd, i.Severity, SlaKind.Acknowledge, i.CreatedAt + ack, now, i.Assignee));
                }

                if (i.ResolveBreachedAt is null && (i.ClosedAt ?? now) - i.CreatedAt > resolve
                    && await MarkAsync(db, i.Id, SlaKind.Resolve, now, cancellationToken))
                {
                    breaches.Add(new SlaBreach(i.Id, i.Title, i.Opd, i.Severity, SlaKind.Resolve, i.CreatedAt + resolve, now, i.Assignee));
                }
            }
        }

        foreach (var breach in breaches)
        {
            Log.SlaBreached(logger, breach.IncidentId, breach.Kind, breach.Opd, breach.Severity);
        }

        return breaches;
    }

    /// <summary>Sets the breach time if no one else did meanwhile (no version change: the analyst's edits are not
    /// disturbed), with a timeline entry. False when it was already set.</summary>
    private static async Task<bool> MarkAsync(IncidentStoreContext db, long id, SlaKind kind, long now, CancellationToken cancellationToken)
    {
        var changed = kind == SlaKind.Acknowledge
            ? await db.Incidents.Where(i => i.Id == id && i.AckBreachedAt == null).ExecuteUpdateAsync(s => s.SetProperty(i => i.AckBreachedAt, now), cancellationToken)
            : await db.Incidents.Where(i => i.Id == id && i.ResolveBreachedAt == null).ExecuteUpdateAsync(s => s.SetProperty(i => i.ResolveBreachedAt, now), cancellationToken);
        if (changed == 0)
        {
            return false;
        }

        db.Entries.Add(new IncidentEntryRecord
        {
            IncidentId = id, At = now, Actor = IncidentService.SystemActor, Kind = IncidentEntryKinds.Sla,
            Text = kind == SlaKind.Acknowledge ? "Batas waktu SLA penanggapan terlampaui" : "Batas waktu SLA penyelesaian terlampaui",
        });
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }

    /// <summary>Per OPD and month (in <paramref name="zone"/>) of opening, from <paramref name="from"/> up to
    /// <paramref name="to"/>: incidents opened, mean time to acknowledge and to resolve, breaches and compliance. Merged
    /// duplicates are left out (their alerts count in the incident they joined). A row with a null OPD sums the month.</summary>
    public async Task<IReadOnlyList<SlaStatsRow>> StatsAsync(IReadOnlyList<string>? scope, DateTimeOffset from, DateTimeOffset to, TimeZoneInfo zone, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        long start = from.ToUnixTimeMilliseconds(), end = to.ToUnixTimeMilliseconds();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var query = db.Incidents.AsNoTracking().Where(i => i.CreatedAt >= start && i.CreatedAt < end && i.MergedInto == null);
        if (scope is not null)
        {
            var opds = scope.ToList();
            query = query.Where(i => i.Opd != null && opds.Contains(i.Opd));
        }

        var rows = await query
            .Select(i => new IncidentRecord
            {
                Opd = i.Opd, Severity = i.Severity, CreatedAt = i.CreatedAt, AcknowledgedAt = i.AcknowledgedAt, ClosedAt = i.ClosedAt,
                AckBreachedAt = i.AckBreachedAt, ResolveBreachedAt = i.ResolveBreachedAt,
            })
            .ToListAsync(cancellationToken);
        var stats = new Dictionary<(string? Opd, int Year, int Month), Accumulator>();
        foreach (var incident in rows)
        {
            var local = TimeZoneInfo.ConvertTime(DateTimeOffset.FromUnixTimeMilliseconds(incident.CreatedAt), zone);
            var state = Evaluate(incident, now);
            foreach (var opd in new[] { incident.Opd ?? "-", null })
            {
                var key = (opd, local.Year, local.Month);
                if (!stats.TryGetValue(key, out var acc))
                {
                    stats[key] = acc = new Accumulator();
                }

                acc.Add(incident, state);
            }
        }

        return [.. stats
            .OrderByDescending(s => s.Key.Year).ThenByDescending(s => s.Key.Month).ThenBy(s => s.Key.Opd is null ? 0 : 1).ThenBy(s => s.Key.Opd, StringComparer.Ordinal)
            .Select(s => s.Value.Row(s.Key.Opd, s.Key.Year, s.Key.Month))];
    }

    private sealed class Accumulator
    {
        private int _opened, _acknowledged, _resolved, _ackBreaches, _resolveBreaches, _met;
        private long _ackTotal, _resolveTotal;

        public void Add(IncidentRecord incident, SlaState state)
        {
            _opened++;
            if (incident.AcknowledgedAt is { } acknowledged)
            {
                _acknowledged++;
                _ackTotal += acknowledged - incident.CreatedAt;
            }

            if (incident.ClosedAt is { } closed)
            {
                _resolved++;
                _resolveTotal += closed - incident.CreatedAt;
            }

            _ackBreaches += state.AcknowledgeBreached ? 1 : 0;
            _resolveBreaches += state.ResolveBreached ? 1 : 0;
            _met += state.AcknowledgeBreached || state.ResolveBreached ? 0 : 1;
        }

        public SlaStatsRow Row(string? opd, int year, int month) => new(
            opd, year, month, _opened,
            _acknowledged, _acknowledged == 0 ? null : TimeSpan.FromMilliseconds(_ackTotal / (double)_acknowledged),
            _resolved, _resolved == 0 ? null : TimeSpan.FromMilliseconds(_resolveTotal / (double)_resolved),
            _ackBreaches, _resolveBreaches, _opened == 0 ? 1 : _met / (double)_opened);
    }
}

/// <summary>Which SLA clock.</summary>
public enum SlaKind
{
    /// <summary>Time to acknowledge.</summary>
    Acknowledge,

    /// <summary>Time to resolve.</summary>
    Resolve,
}

/// <summary>An incident against its SLA: deadlines (Unix milliseconds), whether each clock stopped, and whether it was
/// (or, still running, already is) past its deadline.</summary>
public readonly record struct SlaState(long AcknowledgeDue, long ResolveDue, bool Acknowledged, bool Resolved, bool AcknowledgeBreached, bool ResolveBreached)
{
    /// <summary>Either deadline missed.</summary>
    public bool Breached => AcknowledgeBreached || ResolveBreached;

    /// <summary>The deadline that still runs (acknowledge first), or null when both clocks stopped.</summary>
    public long? NextDue => !Acknowledged ? AcknowledgeDue : !Resolved ? ResolveDue : null;
}

/// <summary>A breach found by the sweep.</summary>
public sealed record SlaBreach(long IncidentId, string Title, string? Opd, IncidentSeverity Severity, SlaKind Kind, long Due, long FoundAt, string? Assignee)
{
    /// <summary>A one-line description (Indonesian) for notifications and events.</summary>
    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"Insiden #{IncidentId} ({Severity.Label()}, OPD {Opd ?? "-"}) melewati batas waktu {(Kind == SlaKind.Acknowledge ? "penanggapan" : "penyelesaian")}");
}

/// <summary>One OPD's (or, with a null OPD, the whole scope's) incidents opened in one month.</summary>
public sealed record SlaStatsRow(
    string? Opd, int Year, int Month, int Opened, int Acknowledged, TimeSpan? MeanTimeToAcknowledge, int Resolved, TimeSpan? MeanTimeToResolve,
    int AcknowledgeBreaches, int ResolveBreaches, double Compliance);
