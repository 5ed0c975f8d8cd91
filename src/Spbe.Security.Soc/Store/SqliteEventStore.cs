using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using SQLitePCL;
using Spbe.Security.Soc.Alerts;
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

    /// <summary>The alerts of a day, by the id of their event (groups, MITRE ids and fields as JSON).</summary>
    private const string AlertsTable = """
        CREATE TABLE IF NOT EXISTS alerts(
            id INTEGER PRIMARY KEY, rule_id INTEGER NOT NULL, level INTEGER NOT NULL, description TEXT NOT NULL,
            groups TEXT NOT NULL, mitre TEXT NOT NULL, fired INTEGER NOT NULL, decoder TEXT, fields TEXT NOT NULL);
        CREATE INDEX IF NOT EXISTS alerts_level ON alerts(level);
        CREATE INDEX IF NOT EXISTS alerts_rule ON alerts(rule_id);
        """;

    private const string AlertColumns = "id, rule_id, level, description, groups, mitre, fired, decoder, fields";

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
        var start = 0;
        while (start < events.Count)
        {
            // Note: events come in arrival order, so a batch is one run per day (two around midnight).
            var day = DayOf(events[start].Timestamp.ToUnixTimeMilliseconds());
            var end = start + 1;
            while (end < events.Count && DayOf(events[end].Timestamp.ToUnixTimeMilliseconds()) == day)
            {
                end++;
            }

            WriterFor(day).Write(events, start, end);
            start = end;
        }
    }

    /// <inheritdoc />
    public void Flush()
    {
        List<Partition> open;
        lock (_gate)
        {
            open = [.. _writers.Values];
        }

        foreach (var partition in open)
        {
            partition.IndexText();
        }
    }

    /// <summary>Rows written to the open days and not in their text index yet.</summary>
    internal long UnindexedRows
    {
        get
        {
            lock (_gate)
            {
                return _writers.Values.Sum(p => p.LastId - p.IndexedThrough);
            }
        }
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
                    await reader.DisposeAsync();
                    await AttachAlertsAsync(connection, events, cancellationToken);
                    return new EventPage(events, Cursor(lastEvent));
                }

                events.Add(Read(reader));
            }

            await reader.DisposeAsync();
            await AttachAlertsAsync(connection, events, cancellationToken);
        }

        return new EventPage(events, null);
    }

    /// <summary>The decoded fields as a JSON array of [name, value] pairs (names may repeat).</summary>
    private static void WriteFieldsJson(Utf8JsonWriter writer, IReadOnlyList<KeyValuePair<string, string>> fields)
    {
        writer.WriteStartArray();
        foreach (var (name, value) in fields)
        {
            writer.WriteStartArray();
            writer.WriteStringValue(name);
            writer.WriteStringValue(value);
            writer.WriteEndArray();
        }

        writer.WriteEndArray();
        writer.Flush();
    }

    /// <summary>Reads the alerts of the events of this day's store that have none attached yet.</summary>
    private static async Task AttachAlertsAsync(SqliteConnection connection, List<SocEvent> events, CancellationToken cancellationToken)
    {
        var byId = events.Where(e => e.Alert is null).ToDictionary(e => e.Sequence);
        if (byId.Count == 0)
        {
            return;
        }

        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {AlertColumns} FROM alerts WHERE id IN ({string.Join(',', byId.Keys)})";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var e = byId[reader.GetInt64(0)];
            e.Alert = new SocAlert
            {
                Sequence = e.Sequence,
                Timestamp = e.Timestamp,
                RuleId = reader.GetInt32(1),
                Level = reader.GetInt32(2),
                Description = reader.GetString(3),
                Groups = JsonSerializer.Deserialize<string[]>(reader.GetString(4)) ?? [],
                Mitre = JsonSerializer.Deserialize<string[]>(reader.GetString(5)) ?? [],
                FiredTimes = reader.GetInt32(6),
                Decoder = reader.IsDBNull(7) ? null : reader.GetString(7),
                Fields = [.. (JsonSerializer.Deserialize<string[][]>(reader.GetString(8)) ?? []).Where(f => f.Length == 2).Select(f => new KeyValuePair<string, string>(f[0], f[1]))],
            };
        }
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
        // Note: the index (ascii tokenizer, detail=none) keeps tokens without positions: a word such as 10.0.0.1 becomes
        // the tokens 10, 0, 0 and 1, each of which must occur; phrases are not available at that detail.
        var words = AsciiTokens.Distinct(text);
        return words.Count == 0 ? null : string.Join(' ', words.Select(t => "\"" + t + "\""));
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

        if (query.MinLevel is { } level)
        {
            Add("id IN (SELECT id FROM alerts WHERE level >= $level)", "$level", level);
        }

        if (query.RuleId is { } rule)
        {
            Add("id IN (SELECT id FROM alerts WHERE rule_id = $rule)", "$rule", rule);
        }

        if (ToFtsQuery(query.Text) is { } fts)
        {
            // Note: rows above fts_state.through are not in the text index yet (it is filled in chunks, see
            // Partition.IndexText); they are searched directly, by the same word rules.
            var window = ids is null ? "" : " AND rowid BETWEEN $idfrom AND $idto";
            where.Append(" AND id IN (SELECT rowid FROM events_fts WHERE events_fts MATCH $fts").Append(window)
                .Append(" UNION ALL SELECT id FROM events WHERE id > (SELECT through FROM fts_state) AND spbe_has_words(raw, $words))");
            command.Parameters.AddWithValue("$fts", fts);
            command.Parameters.AddWithValue("$words", string.Join(' ', AsciiTokens.Distinct(query.Text)));
            if (ids is { } range)
            {
                command.Parameters.AddWithValue("$idfrom", range.From);
                command.Parameters.AddWithValue("$idto", range.To);
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
            pragma.CommandText = "PRAGMA busy_timeout=5000;";
            pragma.ExecuteNonQuery();
            pragma.CommandText = "SELECT name FROM sqlite_master WHERE name IN ('events_fts', 'fts_state', 'alerts')";
            var tables = new HashSet<string>(StringComparer.Ordinal);
            using (var reader = pragma.ExecuteReader())
            {
                while (reader.Read())
                {
                    tables.Add(reader.GetString(0));
                }
            }

            if (tables.Contains("events_fts") && tables.Contains("fts_state"))
            {
                if (!tables.Contains("alerts"))
                {
                    // Note: a day stored before alerts were gets their (empty) table, so that every day answers alike.
                    pragma.CommandText = AlertsTable;
                    pragma.ExecuteNonQuery();
                }

                pragma.CommandText = "PRAGMA query_only=1;";
                pragma.ExecuteNonQuery();
                AddWordSearch(connection);
                return connection;
            }
        }
        catch (SqliteException)
        {
        }

        connection.Dispose();
        return null;
    }

    /// <summary><c>spbe_has_words(text, words)</c>: whether every word (space-separated, folded) occurs in the text.</summary>
    private static void AddWordSearch(SqliteConnection connection)
    {
        string? lastWords = null;
        AsciiTokens.WordSet? set = null;
        connection.CreateFunction("spbe_has_words", (string text, string words) =>
        {
            if (!string.Equals(words, lastWords, StringComparison.Ordinal))
            {
                set = new AsciiTokens.WordSet(words.Split(' ', StringSplitOptions.RemoveEmptyEntries));
                lastWords = words;
            }

            return AsciiTokens.ContainsAll(text, set!);
        }, isDeterministic: true);
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

    /// <summary>One day's database with its prepared insert statements.</summary>
    /// <remarks>
    /// Writing is the hot path of ingest, so it talks to SQLite through SQLitePCL's raw API on the connection's handle:
    /// parameters bound by position from UTF-8 (Microsoft.Data.Sqlite binds every parameter by name, boxes every value
    /// and converts every string on each call, which cost more than SQLite's own work here).
    /// </remarks>
    private sealed class Partition : IDisposable
    {
        /// <summary>Rows written before the text index is brought up to date, unless <see cref="MaxIndexDelayMs"/> passes first.</summary>
        private const long IndexChunk = 65_536;

        private const long MaxIndexDelayMs = 1_000;

        private const int ColumnCount = 13;

        /// <summary>What a parameter of the insert holds.</summary>
        private enum Bound : byte
        {
            Nothing,
            Null,
            Value,
        }

        private readonly sqlite3_stmt _insert;
        private readonly sqlite3_stmt _indexText;
        private readonly sqlite3_stmt _indexedThrough;
        private readonly sqlite3_stmt _insertAlert;
        // Note: the JSON of the rules' group and MITRE lists, which every alert of a rule shares.
        private readonly Dictionary<IReadOnlyList<string>, byte[]> _listJson = new(ReferenceEqualityComparer.Instance);
        private readonly System.Buffers.ArrayBufferWriter<byte> _fieldsJson = new(1024);
        private readonly Utf8JsonWriter _fieldsWriter;
        // Note: what each parameter of the insert holds now (index 0 unused: parameters count from 1).
        private readonly Bound[] _state = new Bound[ColumnCount + 1];
        private readonly long[] _ints = new long[ColumnCount + 1];
        private readonly string?[] _texts = new string?[ColumnCount + 1];
        private byte[] _utf8 = new byte[4096];
        private long _pendingSince;

        public Partition(string path)
        {
            Connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadWriteCreate, Pooling = false }.ToString());
            Connection.Open();
            using (var setup = Connection.CreateCommand())
            {
                // Note: fts_state.through is the last id in the text index. FTS5 merges its segments once 16 of a size
                // exist instead of 4: a quarter of the merging, and searches measured no slower.
                setup.CommandText = """
                    PRAGMA journal_mode=WAL;
                    PRAGMA synchronous=NORMAL;
                    PRAGMA cache_size=-16384;
                    PRAGMA busy_timeout=5000;
                    BEGIN;
                    CREATE TABLE IF NOT EXISTS events(
                        id INTEGER PRIMARY KEY, ts INTEGER NOT NULL, opd TEXT, source TEXT NOT NULL, transport INTEGER NOT NULL,
                        flags INTEGER NOT NULL, peer TEXT NOT NULL, host TEXT, program TEXT, severity INTEGER, facility INTEGER,
                        raw TEXT NOT NULL, raw_bytes BLOB);
                    CREATE INDEX IF NOT EXISTS events_ts ON events(ts);
                    CREATE VIRTUAL TABLE IF NOT EXISTS events_fts USING fts5(raw, content='events', content_rowid='id', detail=none, columnsize=0, tokenize='ascii');
                    INSERT INTO events_fts(events_fts, rank) VALUES('automerge', 16);
                    CREATE TABLE IF NOT EXISTS fts_state(through INTEGER NOT NULL);
                    INSERT INTO fts_state SELECT COALESCE(MAX(id), 0) FROM events WHERE NOT EXISTS (SELECT 1 FROM fts_state);
                    """ + AlertsTable + """
                    COMMIT;
                    """;
                setup.ExecuteNonQuery();
                setup.CommandText = "SELECT COALESCE(MAX(id), 0) FROM events";
                LastId = (long)setup.ExecuteScalar()!;
                setup.CommandText = "SELECT through FROM fts_state";
                IndexedThrough = (long)setup.ExecuteScalar()!;
            }

            _insert = Prepare($"INSERT OR IGNORE INTO events({Columns}) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)");
            // Note: one statement indexes every row above the last indexed one: far fewer calls than a row at a time, and
            // the bigger the chunk, the less FTS5 has to merge afterwards (ids only grow within a day).
            _indexText = Prepare("INSERT INTO events_fts(rowid, raw) SELECT id, raw FROM events WHERE id > ?");
            _indexedThrough = Prepare("UPDATE fts_state SET through = ?");
            _fieldsWriter = new Utf8JsonWriter(_fieldsJson);
            _insertAlert = Prepare($"INSERT OR IGNORE INTO alerts({AlertColumns}) VALUES (?,?,?,?,?,?,?,?,?)");
            _pendingSince = Environment.TickCount64;
        }

        public SqliteConnection Connection { get; }

        /// <summary>The highest id stored.</summary>
        public long LastId { get; private set; }

        /// <summary>The highest id in the text index.</summary>
        public long IndexedThrough { get; private set; }

        /// <summary>Stores <paramref name="events"/>[<paramref name="start"/>..<paramref name="end"/>) with their alerts in
        /// one transaction, skipping those already stored, and indexes their text when enough rows or time have gathered.</summary>
        public void Write(IReadOnlyList<SocEvent> events, int start, int end)
        {
            var first = LastId;
            var last = first;
            using (var transaction = Connection.BeginTransaction())
            {
                for (var i = start; i < end; i++)
                {
                    var e = events[i];
                    if (e.Sequence <= first)
                    {
                        continue;
                    }

                    Bind(e);
                    Step(_insert);
                    if (e.Alert is { } alert)
                    {
                        InsertAlert(alert);
                    }

                    last = Math.Max(last, e.Sequence);
                }

                transaction.Commit();
            }

            if (first == IndexedThrough)
            {
                _pendingSince = Environment.TickCount64;
            }

            LastId = last;
            if (LastId - IndexedThrough >= IndexChunk || Environment.TickCount64 - _pendingSince >= MaxIndexDelayMs)
            {
                IndexText();
            }
        }

        /// <summary>Adds the rows not indexed yet to the text index.</summary>
        public void IndexText()
        {
            if (LastId == IndexedThrough)
            {
                return;
            }

            using var transaction = Connection.BeginTransaction();
            Check(raw.sqlite3_bind_int64(_indexText, 1, IndexedThrough));
            Step(_indexText);
            Check(raw.sqlite3_bind_int64(_indexedThrough, 1, LastId));
            Step(_indexedThrough);
            transaction.Commit();
            IndexedThrough = LastId;
        }

        public void Dispose()
        {
            _insert.Dispose();
            _indexText.Dispose();
            _indexedThrough.Dispose();
            _insertAlert.Dispose();
            _fieldsWriter.Dispose();
            Connection.Dispose();
        }

        private void Bind(SocEvent e)
        {
            BindInt(1, e.Sequence);
            BindInt(2, e.Timestamp.ToUnixTimeMilliseconds());
            BindText(3, e.Opd);
            BindText(4, e.Source);
            BindInt(5, (int)e.Transport);
            BindInt(6, (int)e.Flags);
            BindText(7, e.Peer);
            BindText(8, e.Syslog.Hostname);
            BindText(9, e.Syslog.AppName);
            BindInt(10, e.Syslog.Severity);
            BindInt(11, e.Syslog.Facility);
            BindText(12, e.Original);
            if (e.OriginalBytes is { } bytes)
            {
                _state[13] = Bound.Nothing;
                Check(raw.sqlite3_bind_blob(_insert, 13, bytes));
            }
            else
            {
                BindInt(13, null);
            }
        }

        // Note: SQLite keeps a statement's bindings from one row to the next, and consecutive events mostly share their
        // source, peer, host and program: a value equal to the one bound before is not bound again.
        private void BindInt(int index, long? value)
        {
            if (value is { } v ? _state[index] == Bound.Value && _ints[index] == v : _state[index] == Bound.Null)
            {
                return;
            }

            _state[index] = Bound.Nothing;
            Check(value is { } n ? raw.sqlite3_bind_int64(_insert, index, n) : raw.sqlite3_bind_null(_insert, index));
            _ints[index] = value ?? 0;
            _state[index] = value is null ? Bound.Null : Bound.Value;
        }

        private void BindText(int index, string? value)
        {
            if (value is null ? _state[index] == Bound.Null : _state[index] == Bound.Value && string.Equals(value, _texts[index], StringComparison.Ordinal))
            {
                return;
            }

            _state[index] = Bound.Nothing;
            if (value is null)
            {
                Check(raw.sqlite3_bind_null(_insert, index));
            }
            else if (value.Length == 0)
            {
                // Note: an empty span would be bound as NULL (its pointer is null), hence the string overload.
                Check(raw.sqlite3_bind_text(_insert, index, value));
            }
            else
            {
                // Note: SQLite copies bound text (SQLITE_TRANSIENT), so one buffer serves every value.
                var max = Encoding.UTF8.GetMaxByteCount(value.Length);
                if (_utf8.Length < max)
                {
                    _utf8 = new byte[Math.Max(max, _utf8.Length * 2)];
                }

                var length = Encoding.UTF8.GetBytes(value, _utf8);
                Check(raw.sqlite3_bind_text(_insert, index, _utf8.AsSpan(0, length)));
            }

            _texts[index] = value;
            _state[index] = value is null ? Bound.Null : Bound.Value;
        }

        private void InsertAlert(SocAlert alert)
        {
            Check(raw.sqlite3_bind_int64(_insertAlert, 1, alert.Sequence));
            Check(raw.sqlite3_bind_int(_insertAlert, 2, alert.RuleId));
            Check(raw.sqlite3_bind_int(_insertAlert, 3, alert.Level));
            Check(raw.sqlite3_bind_text(_insertAlert, 4, alert.Description));
            Check(raw.sqlite3_bind_text(_insertAlert, 5, ListJson(alert.Groups)));
            Check(raw.sqlite3_bind_text(_insertAlert, 6, ListJson(alert.Mitre)));
            Check(raw.sqlite3_bind_int(_insertAlert, 7, alert.FiredTimes));
            Check(alert.Decoder is { } decoder ? raw.sqlite3_bind_text(_insertAlert, 8, decoder) : raw.sqlite3_bind_null(_insertAlert, 8));
            _fieldsJson.ResetWrittenCount();
            _fieldsWriter.Reset();
            WriteFieldsJson(_fieldsWriter, alert.Fields);
            Check(raw.sqlite3_bind_text(_insertAlert, 9, _fieldsJson.WrittenSpan));
            Step(_insertAlert);
        }

        private ReadOnlySpan<byte> ListJson(IReadOnlyList<string> list)
        {
            if (!_listJson.TryGetValue(list, out var json))
            {
                if (_listJson.Count >= 65_536)
                {
                    _listJson.Clear();
                }

                _listJson[list] = json = JsonSerializer.SerializeToUtf8Bytes(list);
            }

            return json;
        }

        private sqlite3_stmt Prepare(string sql)
        {
            Check(raw.sqlite3_prepare_v2(Connection.Handle, sql, out var statement));
            return statement;
        }

        private void Step(sqlite3_stmt statement)
        {
            var rc = raw.sqlite3_step(statement);
            raw.sqlite3_reset(statement);
            if (rc != raw.SQLITE_DONE)
            {
                SqliteException.ThrowExceptionForRC(rc, Connection.Handle);
            }
        }

        private void Check(int rc)
        {
            if (rc != raw.SQLITE_OK)
            {
                SqliteException.ThrowExceptionForRC(rc, Connection.Handle);
            }
        }
    }
}
