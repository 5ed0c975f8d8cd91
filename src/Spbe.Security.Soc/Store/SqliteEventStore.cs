using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using Spbe.Security.Soc.Ingest;
using Spbe.Security.Soc.Parsing;

namespace Spbe.Security.Soc.Store;

/// <summary>
/// The default event store: one SQLite database per UTC day of arrival (<c>data/soc/events-20261124.db</c>), each with
/// an <c>events</c> table indexed by time and by OPD and time, and an FTS5 index over the received text. Day files make
/// retention a file deletion and keep a query's work to the days it asks for.
/// </summary>
/// <remarks>
/// The write-ahead log is the durable copy, so the databases run with <c>synchronous=NORMAL</c>: after a power loss the
/// last batches may be missing from a day file, and the replay on start writes them again (rows are keyed by sequence
/// number, so a replay never doubles one).
/// </remarks>
public sealed partial class SqliteEventStore : IEventStore
{
    private const string FilePrefix = "events-";
    private const string Columns = "id, ts, opd, source, transport, flags, peer, host, program, severity, facility, raw, raw_bytes";

    private readonly string _directory;
    private readonly TimeZoneInfo _zone;
    private readonly Dictionary<int, Partition> _writers = [];
    private readonly Lock _gate = new();

    /// <summary>Creates the store in <paramref name="directory"/> (made on the first write: constructing touches no disk, so
    /// a broken data directory is reported by the start-up checks, not by dependency injection); BSD timestamps are read
    /// in <paramref name="zone"/>.</summary>
    public SqliteEventStore(string directory, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentNullException.ThrowIfNull(zone);
        _directory = directory;
        _zone = zone;
    }

    /// <inheritdoc />
    public bool Contains(IngestRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var day = DayOf(record.ArrivalUnixMs);
        Partition? open;
        lock (_gate)
        {
            _writers.TryGetValue(day, out open);
        }

        // Note: called for every record of a replay: the file is looked for only while its day is not open yet.
        return (open ?? (File.Exists(PathOf(day)) ? WriterFor(day) : null))?.LastId >= record.Sequence;
    }

    /// <inheritdoc />
    public void Write(IReadOnlyList<SocEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        foreach (var group in events.GroupBy(e => DayOf(e.Timestamp.ToUnixTimeMilliseconds())))
        {
            var partition = WriterFor(group.Key);
            using var transaction = partition.Connection.BeginTransaction();
            partition.Insert.Transaction = transaction;
            partition.IndexText.Transaction = transaction;
            var first = partition.LastId;
            var last = first;
            foreach (var e in group)
            {
                if (e.Sequence <= first)
                {
                    continue;
                }

                // Note: one prepared single-row INSERT per event; a multi-row INSERT was slower here, because binding
                // by name costs SQLite a scan of the statement's parameter names per parameter.
                Bind(partition.Insert, e);
                partition.Insert.ExecuteNonQuery();
                last = Math.Max(last, e.Sequence);
            }

            // Note: the text index is filled by one statement from the rows just written (far fewer calls than a row
            // at a time); ids only grow within a day, so "above the previous last" is exactly this batch.
            partition.IndexText.Parameters[0].Value = first;
            partition.IndexText.ExecuteNonQuery();
            transaction.Commit();
            partition.LastId = last;
        }
    }

    private static void Bind(SqliteCommand command, SocEvent e)
    {
        var p = command.Parameters;
        p[0].Value = e.Sequence;
        p[1].Value = e.Timestamp.ToUnixTimeMilliseconds();
        p[2].Value = (object?)e.Opd ?? DBNull.Value;
        p[3].Value = e.Source;
        p[4].Value = (int)e.Transport;
        p[5].Value = (int)e.Flags;
        p[6].Value = e.Peer;
        p[7].Value = (object?)e.Syslog.Hostname ?? DBNull.Value;
        p[8].Value = (object?)e.Syslog.AppName ?? DBNull.Value;
        p[9].Value = (object?)e.Syslog.Severity ?? DBNull.Value;
        p[10].Value = (object?)e.Syslog.Facility ?? DBNull.Value;
        p[11].Value = e.Original;
        p[12].Value = (object?)e.OriginalBytes ?? DBNull.Value;
    }

    /// <inheritdoc />
    public int ApplyRetention(DateTimeOffset now, int days)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(days);
        var oldest = int.Parse(now.UtcDateTime.AddDays(-days).ToString("yyyyMMdd", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        var removed = 0;
        foreach (var day in Days().Where(d => d < oldest))
        {
            lock (_gate)
            {
                if (_writers.Remove(day, out var partition))
                {
                    partition.Dispose();
                }
            }

            SqliteConnection.ClearAllPools();
            foreach (var suffix in new[] { "", "-wal", "-shm" })
            {
                File.Delete(PathOf(day) + suffix);
            }

            removed++;
        }

        return removed;
    }

    /// <inheritdoc />
    public async Task<EventPage> QueryAsync(EventQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var limit = Math.Clamp(query.Limit, 1, EventQuery.MaxLimit);
        var cursor = ParseCursor(query.Cursor);
        var events = new List<SocEvent>(Math.Min(limit, 128));
        foreach (var day in DaysFor(query).OrderDescending())
        {
            if (cursor is { } c && day > DayOf(c.Timestamp))
            {
                continue;
            }

            await using var connection = OpenReader(day);
            if (connection is null)
            {
                continue;
            }

            await using var command = connection.CreateCommand();
            var where = Where(command, query, cursor, IdRange(connection, query));
            command.CommandText = $"SELECT {Columns} FROM events WHERE {where} ORDER BY ts DESC, id DESC LIMIT {limit - events.Count + 1}";
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                if (events.Count == limit)
                {
                    var lastEvent = events[^1];
                    return new EventPage(events, Cursor(lastEvent));
                }

                events.Add(Read(reader));
            }
        }

        return new EventPage(events, null);
    }

    /// <inheritdoc />
    public async Task<long> CountAsync(EventQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        long total = 0;
        foreach (var day in DaysFor(query))
        {
            await using var connection = OpenReader(day);
            if (connection is null)
            {
                continue;
            }

            await using var command = connection.CreateCommand();
            command.CommandText = $"SELECT COUNT(*) FROM events WHERE {Where(command, query with { Cursor = null }, null, IdRange(connection, query))}";
            total += (long)(await command.ExecuteScalarAsync(cancellationToken))!;
        }

        return total;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_gate)
        {
            foreach (var partition in _writers.Values)
            {
                partition.Dispose();
            }

            _writers.Clear();
        }
    }

    /// <summary>The UTC day of an arrival time as a number (20261124).</summary>
    internal static int DayOf(long unixMs)
    {
        var date = DateTimeOffset.FromUnixTimeMilliseconds(unixMs).UtcDateTime;
        return (date.Year * 10000) + (date.Month * 100) + date.Day;
    }

    /// <summary>Turns words typed by a person into an FTS5 query: every word must occur, taken literally (quotes,
    /// operators and column filters in the input have no special meaning).</summary>
    internal static string? ToFtsQuery(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        // Note: the index (ascii tokenizer, detail=none) keeps tokens without positions: a word such as 10.0.0.1 becomes
        // the tokens 10, 0, 0 and 1, each of which must occur; phrases are not available at that detail.
        var tokens = Regex.Split(text, "[\\x00-\\x2F\\x3A-\\x40\\x5B-\\x60\\x7B-\\x7F]+").Where(t => t.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        return tokens.Count == 0 ? null : string.Join(' ', tokens.Select(t => "\"" + t + "\""));
    }

    /// <summary>
    /// For a full-text search in a time window, the sequence numbers the window can hold, so that the text index is read
    /// only there (FTS5 uses a rowid range) instead of for the whole day. Sequence numbers follow arrival except for what
    /// was in flight together (at most a queue and a write-ahead log batch), hence the margin.
    /// </summary>
    private static (long From, long To)? IdRange(SqliteConnection connection, EventQuery query)
    {
        const long Margin = 200_000;
        if (string.IsNullOrWhiteSpace(query.Text) || (query.Since is null && query.Until is null))
        {
            return null;
        }

        using var command = connection.CreateCommand();
        command.CommandText = "SELECT id FROM events WHERE ts >= $since ORDER BY ts LIMIT 1";
        command.Parameters.AddWithValue("$since", query.Since?.ToUnixTimeMilliseconds() ?? long.MinValue);
        var from = command.ExecuteScalar() is long first ? first - Margin : long.MaxValue;
        command.CommandText = "SELECT id FROM events WHERE ts < $until ORDER BY ts DESC LIMIT 1";
        command.Parameters.Clear();
        command.Parameters.AddWithValue("$until", query.Until?.ToUnixTimeMilliseconds() ?? long.MaxValue);
        var to = command.ExecuteScalar() is long last ? last + Margin : long.MinValue;
        return (from, to);
    }

    private static string Where(SqliteCommand command, EventQuery query, (long Timestamp, long Id)? cursor, (long From, long To)? ids)
    {
        var where = new StringBuilder("1=1");
        void Add(string clause, string name, object value)
        {
            where.Append(" AND ").Append(clause);
            command.Parameters.AddWithValue(name, value);
        }

        if (query.Since is { } since)
        {
            Add("ts >= $since", "$since", since.ToUnixTimeMilliseconds());
        }

        if (query.Until is { } until)
        {
            Add("ts < $until", "$until", until.ToUnixTimeMilliseconds());
        }

        if (query.Scope is { } scope)
        {
            where.Append(" AND opd IN (");
            for (var i = 0; i < scope.Count; i++)
            {
                where.Append(i == 0 ? "" : ",").Append("$scope").Append(i);
                command.Parameters.AddWithValue("$scope" + i.ToString(CultureInfo.InvariantCulture), scope[i]);
            }

            where.Append(')');
        }

        if (query.Opd is { } opd)
        {
            Add("opd = $opd", "$opd", opd);
        }

        if (query.Source is { } source)
        {
            Add("source = $source", "$source", source);
        }

        if (query.Host is { } host)
        {
            Add("host = $host", "$host", host);
        }

        if (query.Program is { } program)
        {
            Add("program = $program", "$program", program);
        }

        if (query.MaxSeverity is { } severity)
        {
            Add("severity <= $severity", "$severity", severity);
        }

        if (ToFtsQuery(query.Text) is { } fts)
        {
            if (ids is { } range)
            {
                where.Append(" AND id IN (SELECT rowid FROM events_fts WHERE events_fts MATCH $fts AND rowid BETWEEN $idfrom AND $idto)");
                command.Parameters.AddWithValue("$fts", fts);
                command.Parameters.AddWithValue("$idfrom", range.From);
                command.Parameters.AddWithValue("$idto", range.To);
            }
            else
            {
                Add("id IN (SELECT rowid FROM events_fts WHERE events_fts MATCH $fts)", "$fts", fts);
            }
        }

        var n = 0;
        foreach (var (path, value) in query.Fields)
        {
            if (!FieldPath().IsMatch(path))
            {
                throw new ArgumentException($"'{path}' is not a field path (letters, digits, '_', '-', '@' and dots)", nameof(query));
            }

            var name = "$field" + n++.ToString(CultureInfo.InvariantCulture);
            where.Append(" AND transport IN (5, 6) AND (CASE WHEN json_valid(raw) THEN json_extract(raw, '$.\"")
                .Append(path.Replace(".", "\".\"", StringComparison.Ordinal)).Append("\"') END) = ").Append(name);
            command.Parameters.AddWithValue(name, value);
        }

        if (cursor is { } c)
        {
            where.Append(" AND (ts < $cts OR (ts = $cts AND id < $cid))");
            command.Parameters.AddWithValue("$cts", c.Timestamp);
            command.Parameters.AddWithValue("$cid", c.Id);
        }

        return where.ToString();
    }

    private static string Cursor(SocEvent e) =>
        Convert.ToBase64String(Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{e.Timestamp.ToUnixTimeMilliseconds()}:{e.Sequence}")));

    private static (long Timestamp, long Id)? ParseCursor(string? cursor)
    {
        if (cursor is null)
        {
            return null;
        }

        try
        {
            var parts = Encoding.ASCII.GetString(Convert.FromBase64String(cursor)).Split(':');
            if (parts.Length == 2 && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var ts)
                && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            {
                return (ts, id);
            }
        }
        catch (FormatException)
        {
        }

        throw new ArgumentException("the cursor is not one this API returned", nameof(cursor));
    }

    private SocEvent Read(SqliteDataReader reader)
    {
        var raw = reader.GetString(11);
        var transport = (IngestTransport)reader.GetInt32(4);
        var arrival = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1));
        return new SocEvent
        {
            Sequence = reader.GetInt64(0), Timestamp = arrival, Opd = reader.IsDBNull(2) ? null : reader.GetString(2), Source = reader.GetString(3),
            Transport = transport, Flags = (IngestFlags)reader.GetInt32(5), Peer = reader.GetString(6),
            Syslog = EventNormalizer.Parse(raw, transport, arrival, _zone),
            Original = raw, OriginalBytes = reader.IsDBNull(12) ? null : (byte[])reader.GetValue(12),
        };
    }

    private IEnumerable<int> Days()
    {
        if (!Directory.Exists(_directory))
        {
            yield break;
        }

        foreach (var file in Directory.EnumerateFiles(_directory, FilePrefix + "*.db"))
        {
            var name = Path.GetFileNameWithoutExtension(file)[FilePrefix.Length..];
            if (name.Length == 8 && int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var day))
            {
                yield return day;
            }
        }
    }

    private IEnumerable<int> DaysFor(EventQuery query)
    {
        var from = query.Since is { } since ? DayOf(since.ToUnixTimeMilliseconds()) : int.MinValue;
        var to = query.Until is { } until ? DayOf(until.ToUnixTimeMilliseconds() - 1) : int.MaxValue;
        return Days().Where(d => d >= from && d <= to).ToList();
    }

    private string PathOf(int day) => Path.Combine(_directory, FilePrefix + day.ToString("D8", CultureInfo.InvariantCulture) + ".db");

    /// <summary>A read-only connection to a day's database, or null when the day is being created (its file exists, its
    /// tables not yet) or was just removed by retention.</summary>
    private SqliteConnection? OpenReader(int day)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = PathOf(day), Mode = SqliteOpenMode.ReadWrite }.ToString());
        try
        {
            connection.Open();
            using var pragma = connection.CreateCommand();
            pragma.CommandText = "PRAGMA query_only=1; PRAGMA busy_timeout=5000;";
            pragma.ExecuteNonQuery();
            pragma.CommandText = "SELECT COUNT(*) FROM sqlite_master WHERE name = 'events_fts'";
            if ((long)pragma.ExecuteScalar()! == 1)
            {
                return connection;
            }
        }
        catch (SqliteException)
        {
        }

        connection.Dispose();
        return null;
    }

    private Partition WriterFor(int day)
    {
        lock (_gate)
        {
            if (_writers.TryGetValue(day, out var existing))
            {
                return existing;
            }

            // Note: at most two days stay open for writing (today and a late yesterday); older ones are reopened on demand.
            foreach (var stale in _writers.Keys.Order().SkipLast(1).ToList())
            {
                _writers.Remove(stale, out var old);
                old!.Dispose();
            }

            Directory.CreateDirectory(_directory);
            var partition = new Partition(PathOf(day));
            _writers[day] = partition;
            return partition;
        }
    }

    [GeneratedRegex(@"^[A-Za-z0-9_@-]+(\.[A-Za-z0-9_@-]+)*$", RegexOptions.CultureInvariant)]
    private static partial Regex FieldPath();

    /// <summary>One day's database with its prepared insert commands.</summary>
    private sealed class Partition : IDisposable
    {
        public Partition(string path)
        {
            Connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadWriteCreate, Pooling = false }.ToString());
            Connection.Open();
            using (var setup = Connection.CreateCommand())
            {
                setup.CommandText = """
                    PRAGMA journal_mode=WAL;
                    PRAGMA synchronous=NORMAL;
                    PRAGMA cache_size=-16384;
                    PRAGMA busy_timeout=5000;
                    CREATE TABLE IF NOT EXISTS events(
                        id INTEGER PRIMARY KEY, ts INTEGER NOT NULL, opd TEXT, source TEXT NOT NULL, transport INTEGER NOT NULL,
                        flags INTEGER NOT NULL, peer TEXT NOT NULL, host TEXT, program TEXT, severity INTEGER, facility INTEGER,
                        raw TEXT NOT NULL, raw_bytes BLOB);
                    CREATE INDEX IF NOT EXISTS events_ts ON events(ts);
                    CREATE VIRTUAL TABLE IF NOT EXISTS events_fts USING fts5(raw, content='events', content_rowid='id', detail=none, columnsize=0, tokenize='ascii');
                    """;
                setup.ExecuteNonQuery();
                setup.CommandText = "SELECT COALESCE(MAX(id), 0) FROM events";
                LastId = (long)setup.ExecuteScalar()!;
            }

            Insert = CreateInsert();
            IndexText = Connection.CreateCommand();
            IndexText.CommandText = "INSERT INTO events_fts(rowid, raw) SELECT id, raw FROM events WHERE id > $after";
            IndexText.Parameters.Add(new SqliteParameter("$after", 0L));
            IndexText.Prepare();
        }

        /// <summary>Columns of a row.</summary>
        public const int ColumnCount = 13;

        public SqliteConnection Connection { get; }

        public SqliteCommand Insert { get; }

        public SqliteCommand IndexText { get; }

        public long LastId { get; set; }

        private SqliteCommand CreateInsert()
        {
            var command = Connection.CreateCommand();
            var values = new StringBuilder("(");
            for (var c = 0; c < ColumnCount; c++)
            {
                var name = string.Create(CultureInfo.InvariantCulture, $"$p{c}");
                values.Append(c == 0 ? "" : ",").Append(name);
                command.Parameters.Add(new SqliteParameter(name, null));
            }

            values.Append(')');
            command.CommandText = $"INSERT OR IGNORE INTO events({Columns}) VALUES {values}";
            command.Prepare();
            return command;
        }

        public void Dispose()
        {
            Insert.Dispose();
            IndexText.Dispose();
            Connection.Dispose();
        }
    }
}
