using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Spbe.Security.Soc.Incidents.Persistence;
using Spbe.Security.Soc.Store;

namespace Spbe.Security.Soc.Incidents;

/// <summary>
/// Incident management: alerts at or above the minimum level are grouped into incidents (<see cref="IncidentGrouper"/>),
/// and analysts move them through the workflow, assign, note, merge and split them. Who may see or change which incident
/// is decided by the caller (the Host), which passes the OPDs a viewer may see.
/// </summary>
public sealed class IncidentService
{
    /// <summary>The actor of changes the system makes.</summary>
    public const string SystemActor = "sistem";

    private readonly IDbContextFactory<IncidentStoreContext> _contexts;
    private readonly TimeProvider _time;
    private readonly ILogger<IncidentService> _logger;
    private readonly IncidentGrouper _grouper;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private bool _loaded;

    /// <summary>Creates the service.</summary>
    public IncidentService(IDbContextFactory<IncidentStoreContext> contexts, TimeProvider time, ILogger<IncidentService> logger, int minLevel, TimeSpan window)
    {
        _contexts = contexts;
        _time = time;
        _logger = logger;
        MinLevel = minLevel;
        _grouper = new IncidentGrouper(window);
    }

    /// <summary>Alerts below this rule level do not make incidents.</summary>
    public int MinLevel { get; }

    /// <summary>Raised after incidents were created (for notifications), outside the service's lock.</summary>
    public event Action<IReadOnlyList<IncidentRecord>>? Created;

    /// <summary>Groups the alerts among <paramref name="events"/> into incidents and stores them, in one transaction.
    /// Returns the incidents created.</summary>
    public async Task<IReadOnlyList<IncidentRecord>> RecordAsync(IReadOnlyList<SocEvent> events, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(events);
        var alerted = events.Where(e => e.Alert is { } a && a.Level >= MinLevel).ToList();
        if (alerted.Count == 0)
        {
            return [];
        }

        List<IncidentRecord> created;
        await _gate.WaitAsync(cancellationToken);
        try
        {
            await LoadOpenAsync(cancellationToken);
            created = await RecordLockedAsync(alerted, cancellationToken);
        }
        finally
        {
            _gate.Release();
        }

        foreach (var incident in created)
        {
            Log.IncidentOpened(_logger, incident.Id, incident.RuleId, incident.Opd, incident.Severity);
        }

        if (created.Count > 0)
        {
            Created?.Invoke(created);
        }

        return created;
    }

    private async Task LoadOpenAsync(CancellationToken cancellationToken)
    {
        if (_loaded)
        {
            return;
        }

        // Note: after a restart, alerts keep joining the incidents still open within the window.
        var since = _time.GetUtcNow().ToUnixTimeMilliseconds() - (long)_grouper.Window.TotalMilliseconds;
        await using var db = await _contexts.CreateDbContextAsync(cancellationToken);
        var open = await db.Incidents.AsNoTracking()
            .Where(i => i.LastSeen >= since && i.Status < IncidentStatus.Selesai)
            .Select(i => new { i.Id, i.Key, i.LastSeen })
            .ToListAsync(cancellationToken);
        foreach (var i in open.OrderBy(i => i.Id))
        {
            _grouper.Track(i.Key, i.Id, i.LastSeen);
        }

        _loaded = true;
    }

    private async Task<List<IncidentRecord>> RecordLockedAsync(List<SocEvent> alerted, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await TryRecordAsync(alerted, cancellationToken);
            }
            catch (DbUpdateConcurrencyException) when (attempt < 3)
            {
                // Note: an analyst changed one of these incidents meanwhile (closed it, say): read them again.
                _grouper.Sweep(long.MaxValue);
                _loaded = false;
                await LoadOpenAsync(cancellationToken);
            }
        }
    }

    private async Task<List<IncidentRecord>> TryRecordAsync(List<SocEvent> alerted, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        _grouper.Sweep(now);
        var groups = alerted.GroupBy(IncidentGrouper.KeyOf, StringComparer.Ordinal).ToList();
        var existingIds = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var group in groups)
        {
            if (_grouper.TryFind(group.Key, group.First().Timestamp.ToUnixTimeMilliseconds(), out var id))
            {
                existingIds[group.Key] = id;
            }
        }

        await using var db = await _contexts.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var ids = existingIds.Values.ToList();
        var existing = await db.Incidents.Where(i => ids.Contains(i.Id)).ToDictionaryAsync(i => i.Id, cancellationToken);
        var created = new List<IncidentRecord>();
        var touched = new List<(string Key, IncidentRecord Incident, List<SocEvent> Alerts, bool New)>();
        foreach (var group in groups)
        {
            var list = group.ToList();
            var isNew = false;
            if (!existingIds.TryGetValue(group.Key, out var id) || !existing.TryGetValue(id, out var incident) || incident.Status.IsClosed())
            {
                isNew = true;
                var first = list[0];
                var alert = first.Alert!;
                incident = new IncidentRecord
                {
                    Key = group.Key,
                    Title = Truncate(alert.Description.Length > 0 ? alert.Description : $"Aturan {alert.RuleId}", IncidentLimits.TitleLength),
                    Status = IncidentStatus.Baru,
                    Opd = first.Opd,
                    RuleId = alert.RuleId,
                    Groups = Truncate(string.Join(' ', alert.Groups), 1024),
                    Mitre = Truncate(string.Join(' ', alert.Mitre), 512),
                    FirstSeen = first.Timestamp.ToUnixTimeMilliseconds(),
                    LastSeen = first.Timestamp.ToUnixTimeMilliseconds(),
                    CreatedAt = now,
                };
                db.Incidents.Add(incident);
                created.Add(incident);
            }

            touched.Add((group.Key, incident, list, isNew));
        }

        // Note: new incidents get their numbers here; their alerts and timeline rows refer to them.
        await db.SaveChangesAsync(cancellationToken);
        foreach (var (_, incident, alerts, isNew) in touched)
        {
            Absorb(db, incident, alerts);
            if (isNew)
            {
                db.Entries.Add(new IncidentEntryRecord
                {
                    IncidentId = incident.Id, At = now, Actor = SystemActor, Kind = IncidentEntryKinds.Created,
                    Text = string.Create(CultureInfo.InvariantCulture, $"Dibuat dari aturan {incident.RuleId} (level {incident.MaxLevel})"),
                });
            }
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        foreach (var (key, incident, _, _) in touched)
        {
            _grouper.Track(key, incident.Id, incident.LastSeen);
        }

        return created;
    }

    /// <summary>Adds alerts to an incident: counts, times, level and severity, observables, and the timeline's links.</summary>
    private static void Absorb(IncidentStoreContext db, IncidentRecord incident, List<SocEvent> alerts)
    {
        var ips = Split(incident.SourceIps);
        var users = Split(incident.Users);
        var hosts = Split(incident.Hosts);
        var hashes = Split(incident.Hashes);
        var urls = Split(incident.Urls);
        foreach (var e in alerts)
        {
            var alert = e.Alert!;
            var at = e.Timestamp.ToUnixTimeMilliseconds();
            var (ip, user, host) = IncidentGrouper.SubjectOf(e);
            if (incident.AlertCount < IncidentLimits.LinkedAlerts)
            {
                db.Alerts.Add(new IncidentAlertRecord
                {
                    Sequence = e.Sequence, IncidentId = incident.Id, At = at, RuleId = alert.RuleId, Level = alert.Level,
                    Description = Truncate(alert.Description, 1024), SourceIp = Truncate(ip, 64), User = Truncate(user, 256), Host = Truncate(host, 256),
                });
            }

            incident.AlertCount++;
            incident.FirstSeen = Math.Min(incident.FirstSeen, at);
            incident.LastSeen = Math.Max(incident.LastSeen, at);
            incident.MaxLevel = Math.Max(incident.MaxLevel, alert.Level);
            Add(ips, ip);
            Add(users, user);
            Add(hosts, host);
            foreach (var (name, value) in alert.Fields)
            {
                if (IsHashField(name) && IsHash(value))
                {
                    Add(hashes, value.ToLowerInvariant());
                }
                else if (name is "url" or "uri" or "http.url" && value.Length > 0)
                {
                    Add(urls, value);
                }
            }
        }

        if (!incident.SeveritySet)
        {
            incident.Severity = IncidentSeverities.FromLevel(incident.MaxLevel);
        }

        incident.SourceIps = string.Join(' ', ips);
        incident.Users = string.Join(' ', users);
        incident.Hosts = string.Join(' ', hosts);
        incident.Hashes = string.Join(' ', hashes);
        incident.Urls = string.Join(' ', urls);
    }

    /// <summary>Wazuh's names for file hashes (syscheck's before and after, and plain ones from other decoders).</summary>
    private static bool IsHashField(string name) =>
        name is "md5" or "sha1" or "sha256" or "md5_after" or "sha1_after" or "sha256_after" or "hash" or "file.hash";

    /// <summary>An MD5, SHA-1 or SHA-256 in hexadecimal (anything else in a hash field is not kept).</summary>
    private static bool IsHash(string value) =>
        value.Length is 32 or 40 or 64 && value.All(char.IsAsciiHexDigit);

    private static List<string> Split(string list) => [.. list.Split(' ', StringSplitOptions.RemoveEmptyEntries)];

    private static void Add(List<string> list, string? value)
    {
        // Note: observables are kept space-separated, so a value with spaces (a user name) is kept with them replaced.
        if (string.IsNullOrWhiteSpace(value) || list.Count >= IncidentLimits.Observables)
        {
            return;
        }

        var clean = Truncate(value.Trim().Replace(' ', '_'), 256)!;
        if (!list.Contains(clean, StringComparer.Ordinal))
        {
            list.Add(clean);
        }
    }

    [return: System.Diagnostics.CodeAnalysis.NotNullIfNotNull(nameof(value))]
    private static string? Truncate(string? value, int length) => value is null || value.Length <= length ? value : value[..length];

    /// <summary>One page of incidents visible in <paramref name="filter"/>, newest first, with the total.</summary>
    public async Task<IncidentPage> ListAsync(IncidentFilter filter, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        await using var db = await _contexts.CreateDbContextAsync(cancellationToken);
        var query = db.Incidents.AsNoTracking();
        if (filter.Scope is { } scope)
        {
            var opds = scope.ToList();
            query = query.Where(i => i.Opd != null && opds.Contains(i.Opd));
        }

        if (filter.Opd is { Length: > 0 } opd)
        {
            query = query.Where(i => i.Opd == opd);
        }

        query = filter.Status switch
        {
            { } status => query.Where(i => i.Status == status),
            null when filter.OpenOnly => query.Where(i => i.Status < IncidentStatus.Selesai),
            _ => query,
        };
        if (filter.Severity is { } severity)
        {
            query = query.Where(i => i.Severity == severity);
        }

        if (filter.Assignee is { Length: > 0 } assignee)
        {
            query = query.Where(i => i.Assignee == assignee);
        }

        if (filter.Text is { Length: > 0 } text)
        {
            // Note: a plain substring search over the title and the observables (no LIKE wildcards from the user).
            query = query.Where(i => i.Title.Contains(text) || i.SourceIps.Contains(text) || i.Users.Contains(text) || i.Hosts.Contains(text));
        }

        var total = await query.LongCountAsync(cancellationToken);
        var size = Math.Clamp(filter.PageSize, 1, 200);
        var page = Math.Max(filter.Page, 1);
        var items = await query.OrderByDescending(i => i.Id).Skip((page - 1) * size).Take(size).ToListAsync(cancellationToken);
        return new IncidentPage(items, total, page, size);
    }

    /// <summary>Incidents opened since <paramref name="since"/> (Unix milliseconds), counted per OPD and severity, within
    /// <paramref name="scope"/> (null: the city); merged duplicates left out.</summary>
    public async Task<IReadOnlyList<IncidentCount>> CountByOpdAsync(IReadOnlyList<string>? scope, long since, CancellationToken cancellationToken = default)
    {
        await using var db = await _contexts.CreateDbContextAsync(cancellationToken);
        var query = db.Incidents.AsNoTracking().Where(i => i.CreatedAt >= since && i.MergedInto == null);
        if (scope is not null)
        {
            var opds = scope.ToList();
            query = query.Where(i => i.Opd != null && opds.Contains(i.Opd));
        }

        var rows = await query.GroupBy(i => new { i.Opd, i.Severity }).Select(g => new { g.Key.Opd, g.Key.Severity, Count = g.LongCount() }).ToListAsync(cancellationToken);
        return [.. rows.Select(r => new IncidentCount(r.Opd, r.Severity, r.Count)).OrderBy(r => r.Opd, StringComparer.Ordinal).ThenByDescending(r => r.Severity)];
    }

    /// <summary>The incidents closed from <paramref name="from"/> up to <paramref name="to"/> (Unix milliseconds) within
    /// <paramref name="scope"/>, oldest first, each with its timeline, read a page at a time.</summary>
    public async IAsyncEnumerable<(IncidentRecord Incident, IReadOnlyList<IncidentEntryRecord> Timeline)> ClosedAsync(
        IReadOnlyList<string>? scope, long from, long to, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var opds = scope?.ToList();
        long after = 0;
        while (true)
        {
            List<IncidentRecord> page;
            Dictionary<long, List<IncidentEntryRecord>> entries;
            await using (var db = await _contexts.CreateDbContextAsync(cancellationToken))
            {
                var query = db.Incidents.AsNoTracking().Where(i => i.ClosedAt != null && i.ClosedAt >= from && i.ClosedAt < to && i.Id > after);
                if (opds is not null)
                {
                    query = query.Where(i => i.Opd != null && opds.Contains(i.Opd));
                }

                page = await query.OrderBy(i => i.Id).Take(500).ToListAsync(cancellationToken);
                var ids = page.Select(i => i.Id).ToList();
                entries = (await db.Entries.AsNoTracking().Where(e => ids.Contains(e.IncidentId)).OrderBy(e => e.Id).ToListAsync(cancellationToken))
                    .GroupBy(e => e.IncidentId).ToDictionary(g => g.Key, g => g.ToList());
            }

            foreach (var incident in page)
            {
                yield return (incident, entries.TryGetValue(incident.Id, out var timeline) ? timeline : []);
            }

            if (page.Count < 500)
            {
                yield break;
            }

            after = page[^1].Id;
        }
    }

    /// <summary>An incident with its timeline, or null.</summary>
    public async Task<IncidentDetail?> GetAsync(long id, CancellationToken cancellationToken = default)
    {
        await using var db = await _contexts.CreateDbContextAsync(cancellationToken);
        var incident = await db.Incidents.AsNoTracking().FirstOrDefaultAsync(i => i.Id == id, cancellationToken);
        if (incident is null)
        {
            return null;
        }

        var alerts = await db.Alerts.AsNoTracking().Where(a => a.IncidentId == id).OrderByDescending(a => a.At).ThenByDescending(a => a.Sequence).Take(200).ToListAsync(cancellationToken);
        var entries = await db.Entries.AsNoTracking().Where(x => x.IncidentId == id).OrderBy(x => x.Id).ToListAsync(cancellationToken);
        var tasks = await db.Tasks.AsNoTracking().Where(x => x.IncidentId == id).OrderBy(x => x.Id).ToListAsync(cancellationToken);
        var attachments = await db.Attachments.AsNoTracking().Where(x => x.IncidentId == id).OrderBy(x => x.Id).ToListAsync(cancellationToken);
        return new IncidentDetail(incident, alerts, entries, tasks, attachments);
    }

    /// <summary>The OPD of an incident (for access checks), or null when there is no such incident.</summary>
    public async Task<(bool Found, string? Opd, string? Assignee)> OwnerAsync(long id, CancellationToken cancellationToken = default)
    {
        await using var db = await _contexts.CreateDbContextAsync(cancellationToken);
        var owner = await db.Incidents.AsNoTracking().Where(i => i.Id == id).Select(i => new { i.Opd, i.Assignee }).FirstOrDefaultAsync(cancellationToken);
        return owner is null ? (false, null, null) : (true, owner.Opd, owner.Assignee);
    }

    /// <summary>Moves an incident to <paramref name="status"/> (see <see cref="IncidentStatuses.CanMove"/>), with an
    /// optional reason for the timeline.</summary>
    public Task<IncidentRecord> MoveAsync(long id, int version, IncidentStatus status, string? reason, string actor, CancellationToken cancellationToken = default) =>
        ChangeAsync(id, version, actor, (incident, now) =>
        {
            if (!IncidentStatuses.CanMove(incident.Status, status))
            {
                throw new SpbeException(SocErrors.IncidentInvalid, $"an incident in status {incident.Status.Label()} cannot move to {status.Label()}");
            }

            var text = $"Status {incident.Status.Label()} → {status.Label()}" + (string.IsNullOrWhiteSpace(reason) ? "" : ": " + Clean(reason));
            if (incident.Status == IncidentStatus.Baru)
            {
                incident.AcknowledgedAt ??= now;
            }

            incident.ClosedAt = status.IsClosed() ? now : null;
            incident.Status = status;
            return (IncidentEntryKinds.Status, text);
        }, cancellationToken);

    /// <summary>Acknowledges a new incident (Baru → Triase).</summary>
    public Task<IncidentRecord> AcknowledgeAsync(long id, int version, string actor, CancellationToken cancellationToken = default) =>
        MoveAsync(id, version, IncidentStatus.Triase, null, actor, cancellationToken);

    /// <summary>Assigns the incident to <paramref name="assignee"/> (a NIP), or unassigns it with null.</summary>
    public Task<IncidentRecord> AssignAsync(long id, int version, string? assignee, string actor, CancellationToken cancellationToken = default) =>
        ChangeAsync(id, version, actor, (incident, _) =>
        {
            if (assignee is not null && !IsNip(assignee))
            {
                throw new SpbeException(SocErrors.IncidentInvalid, "the assignee must be an 18-digit NIP");
            }

            var text = assignee is null ? $"Penugasan dilepas (sebelumnya {incident.Assignee ?? "-"})" : $"Ditugaskan ke {assignee}";
            incident.Assignee = assignee;
            return (IncidentEntryKinds.Assigned, text);
        }, cancellationToken);

    /// <summary>Changes the title and/or severity (the severity then stays as set).</summary>
    public Task<IncidentRecord> EditAsync(long id, int version, string? title, IncidentSeverity? severity, string actor, CancellationToken cancellationToken = default) =>
        ChangeAsync(id, version, actor, (incident, _) =>
        {
            var changes = new List<string>();
            if (title is not null)
            {
                var clean = Clean(title);
                if (clean.Length == 0 || clean.Length > IncidentLimits.TitleLength)
                {
                    throw new SpbeException(SocErrors.IncidentInvalid, $"the title must be 1 to {IncidentLimits.TitleLength} characters");
                }

                changes.Add($"judul \"{incident.Title}\" → \"{clean}\"");
                incident.Title = clean;
            }

            if (severity is { } s)
            {
                if (!Enum.IsDefined(s))
                {
                    throw new SpbeException(SocErrors.IncidentInvalid, "unknown severity");
                }

                changes.Add($"tingkat {incident.Severity.Label()} → {s.Label()}");
                incident.Severity = s;
                incident.SeveritySet = true;
            }

            if (changes.Count == 0)
            {
                throw new SpbeException(SocErrors.IncidentInvalid, "nothing to change: give a title or a severity");
            }

            return (IncidentEntryKinds.Edited, "Diubah: " + string.Join("; ", changes));
        }, cancellationToken);

    /// <summary>Adds a note to the timeline (notes never conflict: no version needed).</summary>
    public async Task<IncidentEntryRecord> AddNoteAsync(long id, string text, string actor, CancellationToken cancellationToken = default)
    {
        var clean = Clean(text ?? "");
        if (clean.Length == 0 || clean.Length > IncidentLimits.TextLength)
        {
            throw new SpbeException(SocErrors.IncidentInvalid, $"a note must be 1 to {IncidentLimits.TextLength} characters");
        }

        await using var db = await _contexts.CreateDbContextAsync(cancellationToken);
        if (!await db.Incidents.AnyAsync(i => i.Id == id, cancellationToken))
        {
            throw NotFound(id);
        }

        var entry = new IncidentEntryRecord { IncidentId = id, At = _time.GetUtcNow().ToUnixTimeMilliseconds(), Actor = actor, Kind = IncidentEntryKinds.Note, Text = clean };
        db.Entries.Add(entry);
        await db.SaveChangesAsync(cancellationToken);
        return entry;
    }

    /// <summary>Adds a line of <paramref name="kind"/> (one of <see cref="IncidentEntryKinds"/>) to the timeline.</summary>
    public async Task AddEntryAsync(long id, string kind, string text, string actor, CancellationToken cancellationToken = default)
    {
        await using var db = await _contexts.CreateDbContextAsync(cancellationToken);
        await RequireAsync(db, id, cancellationToken);
        db.Entries.Add(new IncidentEntryRecord { IncidentId = id, At = _time.GetUtcNow().ToUnixTimeMilliseconds(), Actor = actor, Kind = kind, Text = Truncate(Clean(text), IncidentLimits.TextLength) });
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>Adds a task to the incident's handling.</summary>
    public async Task<IncidentTaskRecord> AddTaskAsync(long id, string title, string actor, CancellationToken cancellationToken = default)
    {
        var clean = Clean(title ?? "");
        if (clean.Length == 0 || clean.Length > IncidentLimits.TitleLength)
        {
            throw new SpbeException(SocErrors.IncidentInvalid, $"a task must be 1 to {IncidentLimits.TitleLength} characters");
        }

        await using var db = await _contexts.CreateDbContextAsync(cancellationToken);
        await RequireAsync(db, id, cancellationToken);
        if (await db.Tasks.CountAsync(t => t.IncidentId == id, cancellationToken) >= IncidentLimits.Tasks)
        {
            throw new SpbeException(SocErrors.IncidentInvalid, $"an incident holds at most {IncidentLimits.Tasks} tasks");
        }

        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        var task = new IncidentTaskRecord { IncidentId = id, Title = clean, CreatedBy = actor, CreatedAt = now };
        db.Tasks.Add(task);
        db.Entries.Add(new IncidentEntryRecord { IncidentId = id, At = now, Actor = actor, Kind = IncidentEntryKinds.Task, Text = "Tugas ditambahkan: " + clean });
        await db.SaveChangesAsync(cancellationToken);
        return task;
    }

    /// <summary>Marks a task done or not done.</summary>
    public async Task<IncidentTaskRecord> SetTaskDoneAsync(long id, long taskId, bool done, string actor, CancellationToken cancellationToken = default)
    {
        await using var db = await _contexts.CreateDbContextAsync(cancellationToken);
        var task = await db.Tasks.FirstOrDefaultAsync(t => t.Id == taskId && t.IncidentId == id, cancellationToken)
            ?? throw new SpbeException(SocErrors.IncidentNotFound, string.Create(CultureInfo.InvariantCulture, $"incident {id} has no task {taskId}"));
        if (task.Done != done)
        {
            task.Done = done;
            db.Entries.Add(new IncidentEntryRecord
            {
                IncidentId = id, At = _time.GetUtcNow().ToUnixTimeMilliseconds(), Actor = actor, Kind = IncidentEntryKinds.Task,
                Text = (done ? "Tugas selesai: " : "Tugas dibuka lagi: ") + task.Title,
            });
            await db.SaveChangesAsync(cancellationToken);
        }

        return task;
    }

    /// <summary>Records evidence attached to the incident by its SHA-256 (the caller keeps the file, content-addressed).
    /// The same file attached twice is recorded once.</summary>
    public async Task<IncidentAttachmentRecord> AddAttachmentAsync(long id, string sha256, string name, long size, string actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sha256);
        var cleanName = Path.GetFileName(Clean(name ?? "").Replace('\\', '/'));
        if (sha256.Length != 64 || !sha256.All(c => char.IsAsciiDigit(c) || c is >= 'a' and <= 'f'))
        {
            throw new SpbeException(SocErrors.IncidentInvalid, "an attachment's hash must be a SHA-256 in lowercase hexadecimal");
        }

        if (cleanName.Length is 0 or > 256 || size < 0)
        {
            throw new SpbeException(SocErrors.IncidentInvalid, "an attachment needs a file name of 1 to 256 characters");
        }

        await using var db = await _contexts.CreateDbContextAsync(cancellationToken);
        await RequireAsync(db, id, cancellationToken);
        if (await db.Attachments.FirstOrDefaultAsync(a => a.IncidentId == id && a.Sha256 == sha256, cancellationToken) is { } existing)
        {
            return existing;
        }

        if (await db.Attachments.CountAsync(a => a.IncidentId == id, cancellationToken) >= IncidentLimits.Attachments)
        {
            throw new SpbeException(SocErrors.IncidentInvalid, $"an incident holds at most {IncidentLimits.Attachments} attachments");
        }

        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        var attachment = new IncidentAttachmentRecord { IncidentId = id, Sha256 = sha256, Name = cleanName, Size = size, AddedBy = actor, AddedAt = now };
        db.Attachments.Add(attachment);
        db.Entries.Add(new IncidentEntryRecord
        {
            IncidentId = id, At = now, Actor = actor, Kind = IncidentEntryKinds.Attachment,
            Text = string.Create(CultureInfo.InvariantCulture, $"Lampiran {cleanName} ({size} bita, SHA-256 {sha256})"),
        });
        await db.SaveChangesAsync(cancellationToken);
        return attachment;
    }

    /// <summary>Throws unless incident <paramref name="id"/> exists and can take another attachment.</summary>
    public async Task EnsureAttachmentRoomAsync(long id, CancellationToken cancellationToken = default)
    {
        await using var db = await _contexts.CreateDbContextAsync(cancellationToken);
        await RequireAsync(db, id, cancellationToken);
        if (await db.Attachments.CountAsync(a => a.IncidentId == id, cancellationToken) >= IncidentLimits.Attachments)
        {
            throw new SpbeException(SocErrors.IncidentInvalid, $"an incident holds at most {IncidentLimits.Attachments} attachments");
        }
    }

    /// <summary>Whether <paramref name="sha256"/> is attached to incident <paramref name="id"/>, and its name.</summary>
    public async Task<IncidentAttachmentRecord?> FindAttachmentAsync(long id, string sha256, CancellationToken cancellationToken = default)
    {
        await using var db = await _contexts.CreateDbContextAsync(cancellationToken);
        return await db.Attachments.AsNoTracking().FirstOrDefaultAsync(a => a.IncidentId == id && a.Sha256 == sha256, cancellationToken);
    }

    private static async Task RequireAsync(IncidentStoreContext db, long id, CancellationToken cancellationToken)
    {
        if (!await db.Incidents.AnyAsync(i => i.Id == id, cancellationToken))
        {
            throw NotFound(id);
        }
    }

    /// <summary>Marks a linked alert as a true (<c>true</c>) or false (<c>false</c>) positive.</summary>
    public async Task MarkAlertAsync(long id, long sequence, bool truePositive, string actor, CancellationToken cancellationToken = default)
    {
        await using var db = await _contexts.CreateDbContextAsync(cancellationToken);
        var alert = await db.Alerts.FirstOrDefaultAsync(a => a.Sequence == sequence && a.IncidentId == id, cancellationToken)
            ?? throw new SpbeException(SocErrors.IncidentNotFound, $"incident {id} has no alert {sequence}");
        alert.TruePositive = truePositive;
        db.Entries.Add(new IncidentEntryRecord
        {
            IncidentId = id, At = _time.GetUtcNow().ToUnixTimeMilliseconds(), Actor = actor, Kind = IncidentEntryKinds.Verdict,
            Text = string.Create(CultureInfo.InvariantCulture, $"Peringatan {sequence} dinilai {(truePositive ? "positif benar" : "positif palsu")}"),
        });
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>Merges <paramref name="sources"/> into <paramref name="targetId"/>: their linked alerts, counts and
    /// observables move to the target, and each source is closed as a duplicate of it.</summary>
    public async Task<IncidentRecord> MergeAsync(long targetId, int version, IReadOnlyList<long> sources, string actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sources);
        var ids = sources.Distinct().Where(s => s != targetId).ToList();
        if (ids.Count == 0)
        {
            throw new SpbeException(SocErrors.IncidentInvalid, "give at least one other incident to merge");
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            await using var db = await _contexts.CreateDbContextAsync(cancellationToken);
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var target = await Tracked(db, targetId, version, cancellationToken);
            var merged = await db.Incidents.Where(i => ids.Contains(i.Id)).ToListAsync(cancellationToken);
            if (merged.Count != ids.Count)
            {
                throw NotFound(ids.Except(merged.Select(m => m.Id)).First());
            }

            if (merged.Any(m => !string.Equals(m.Opd, target.Opd, StringComparison.Ordinal)))
            {
                throw new SpbeException(SocErrors.IncidentInvalid, "only incidents of the same OPD can be merged");
            }

            var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
            await db.Alerts.Where(a => ids.Contains(a.IncidentId)).ExecuteUpdateAsync(s => s.SetProperty(a => a.IncidentId, targetId), cancellationToken);
            foreach (var source in merged)
            {
                target.AlertCount += source.AlertCount;
                target.FirstSeen = Math.Min(target.FirstSeen, source.FirstSeen);
                target.LastSeen = Math.Max(target.LastSeen, source.LastSeen);
                target.MaxLevel = Math.Max(target.MaxLevel, source.MaxLevel);
                target.SourceIps = Union(target.SourceIps, source.SourceIps);
                target.Users = Union(target.Users, source.Users);
                target.Hosts = Union(target.Hosts, source.Hosts);
                target.Hashes = Union(target.Hashes, source.Hashes);
                target.Urls = Union(target.Urls, source.Urls);
                if (!source.Status.IsClosed())
                {
                    source.ClosedAt = now;
                }

                source.Status = IncidentStatus.Duplikat;
                source.MergedInto = targetId;
                source.Version++;
                db.Entries.Add(new IncidentEntryRecord { IncidentId = source.Id, At = now, Actor = actor, Kind = IncidentEntryKinds.Grouping, Text = $"Digabung ke insiden #{targetId}" });
                _grouper.Forget(source.Id);
            }

            if (!target.SeveritySet)
            {
                target.Severity = IncidentSeverities.FromLevel(target.MaxLevel);
            }

            target.Version++;
            db.Entries.Add(new IncidentEntryRecord
            {
                IncidentId = targetId, At = now, Actor = actor, Kind = IncidentEntryKinds.Grouping,
                Text = "Menggabungkan insiden " + string.Join(", ", merged.Select(m => "#" + m.Id.ToString(CultureInfo.InvariantCulture))),
            });
            await SaveAsync(db, targetId, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return target;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Splits the linked alerts <paramref name="sequences"/> off <paramref name="id"/> into a new incident (same OPD,
    /// rule and severity rules; status Triase, as an analyst made it). Returns the new incident.</summary>
    public async Task<IncidentRecord> SplitAsync(long id, int version, IReadOnlyList<long> sequences, string actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sequences);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            await using var db = await _contexts.CreateDbContextAsync(cancellationToken);
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var source = await Tracked(db, id, version, cancellationToken);
            var wanted = sequences.Distinct().ToList();
            var moving = await db.Alerts.Where(a => a.IncidentId == id && wanted.Contains(a.Sequence)).ToListAsync(cancellationToken);
            var remaining = await db.Alerts.CountAsync(a => a.IncidentId == id, cancellationToken) - moving.Count;
            if (moving.Count == 0 || moving.Count != wanted.Count || remaining == 0)
            {
                throw new SpbeException(SocErrors.IncidentInvalid, "choose some, not all, of the incident's linked alerts to split off");
            }

            var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
            var split = new IncidentRecord
            {
                Key = source.Key + "|pecahan:" + now.ToString(CultureInfo.InvariantCulture),
                Title = Truncate("Pecahan dari #" + id.ToString(CultureInfo.InvariantCulture) + ": " + source.Title, IncidentLimits.TitleLength),
                Status = IncidentStatus.Triase, Opd = source.Opd, RuleId = moving[0].RuleId, Groups = source.Groups, Mitre = source.Mitre,
                AlertCount = moving.Count, FirstSeen = moving.Min(a => a.At), LastSeen = moving.Max(a => a.At), MaxLevel = moving.Max(a => a.Level),
                CreatedAt = now, AcknowledgedAt = now,
                SourceIps = string.Join(' ', moving.Select(a => a.SourceIp).OfType<string>().Distinct().Take(IncidentLimits.Observables)),
                Users = string.Join(' ', moving.Select(a => a.User?.Replace(' ', '_')).OfType<string>().Distinct().Take(IncidentLimits.Observables)),
                Hosts = string.Join(' ', moving.Select(a => a.Host?.Replace(' ', '_')).OfType<string>().Distinct().Take(IncidentLimits.Observables)),
            };
            split.Severity = IncidentSeverities.FromLevel(split.MaxLevel);
            db.Incidents.Add(split);
            source.AlertCount = Math.Max(0, source.AlertCount - moving.Count);
            source.Version++;
            await SaveAsync(db, id, cancellationToken);
            foreach (var alert in moving)
            {
                alert.IncidentId = split.Id;
            }

            db.Entries.Add(new IncidentEntryRecord { IncidentId = id, At = now, Actor = actor, Kind = IncidentEntryKinds.Grouping, Text = $"{moving.Count} peringatan dipecah ke insiden #{split.Id}" });
            db.Entries.Add(new IncidentEntryRecord { IncidentId = split.Id, At = now, Actor = actor, Kind = IncidentEntryKinds.Grouping, Text = $"Dipecah dari insiden #{id} ({moving.Count} peringatan)" });
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return split;
        }
        finally
        {
            _gate.Release();
        }
    }

    private static string Union(string a, string b) =>
        string.Join(' ', Split(a).Concat(Split(b)).Distinct(StringComparer.Ordinal).Take(IncidentLimits.Observables));

    private async Task<IncidentRecord> ChangeAsync(long id, int version, string actor, Func<IncidentRecord, long, (string Kind, string Text)> change, CancellationToken cancellationToken)
    {
        await using var db = await _contexts.CreateDbContextAsync(cancellationToken);
        var incident = await Tracked(db, id, version, cancellationToken);
        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        var (kind, text) = change(incident, now);
        incident.Version++;
        db.Entries.Add(new IncidentEntryRecord { IncidentId = id, At = now, Actor = actor, Kind = kind, Text = Truncate(text, IncidentLimits.TextLength + 200) });
        await SaveAsync(db, id, cancellationToken);
        if (incident.Status.IsClosed())
        {
            await _gate.WaitAsync(cancellationToken);
            try
            {
                _grouper.Forget(id);
            }
            finally
            {
                _gate.Release();
            }
        }

        return incident;
    }

    private static async Task<IncidentRecord> Tracked(IncidentStoreContext db, long id, int version, CancellationToken cancellationToken)
    {
        var incident = await db.Incidents.FirstOrDefaultAsync(i => i.Id == id, cancellationToken) ?? throw NotFound(id);
        if (incident.Version != version)
        {
            throw Conflict(id);
        }

        return incident;
    }

    private static async Task SaveAsync(IncidentStoreContext db, long id, CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException ex)
        {
            throw Conflict(id, ex);
        }
    }

    private static SpbeException NotFound(long id) =>
        new(SocErrors.IncidentNotFound, string.Create(CultureInfo.InvariantCulture, $"there is no incident {id}"));

    private static SpbeException Conflict(long id, Exception? inner = null) =>
        new(SocErrors.IncidentConflict, string.Create(CultureInfo.InvariantCulture, $"incident {id} was changed by someone else meanwhile; reload it and make the change again"), inner);

    private static bool IsNip(string value) => value.Length == 18 && value.All(char.IsAsciiDigit);

    /// <summary>Text from a person: control characters (but line breaks) removed, trimmed.</summary>
    private static string Clean(string text) =>
        new string([.. text.Where(c => c is '\n' or '\t' || !char.IsControl(c))]).Trim();
}

/// <summary>What to list.</summary>
public sealed record IncidentFilter
{
    /// <summary>The OPDs the viewer may see; null for the whole city.</summary>
    public IReadOnlyList<string>? Scope { get; init; }

    /// <summary>One OPD.</summary>
    public string? Opd { get; init; }

    /// <summary>One status.</summary>
    public IncidentStatus? Status { get; init; }

    /// <summary>Without a status: only open incidents.</summary>
    public bool OpenOnly { get; init; }

    /// <summary>One severity.</summary>
    public IncidentSeverity? Severity { get; init; }

    /// <summary>Assigned to this NIP.</summary>
    public string? Assignee { get; init; }

    /// <summary>Text in the title or the observables.</summary>
    public string? Text { get; init; }

    /// <summary>The page, from 1.</summary>
    public int Page { get; init; } = 1;

    /// <summary>Incidents per page (1 to 200).</summary>
    public int PageSize { get; init; } = 50;
}

/// <summary>How many incidents one OPD had of one severity.</summary>
public sealed record IncidentCount(string? Opd, IncidentSeverity Severity, long Count);

/// <summary>A page of incidents.</summary>
public sealed record IncidentPage(IReadOnlyList<IncidentRecord> Items, long Total, int Page, int PageSize);

/// <summary>An incident with its linked alerts (the newest 200), timeline, tasks and attachments.</summary>
public sealed record IncidentDetail(
    IncidentRecord Incident, IReadOnlyList<IncidentAlertRecord> Alerts, IReadOnlyList<IncidentEntryRecord> Entries,
    IReadOnlyList<IncidentTaskRecord> Tasks, IReadOnlyList<IncidentAttachmentRecord> Attachments);
