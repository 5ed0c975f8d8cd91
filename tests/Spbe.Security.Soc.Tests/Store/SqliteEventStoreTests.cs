using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Spbe.Security.Soc.Ingest;
using Spbe.Security.Soc.Parsing;
using Spbe.Security.Testing;

namespace Spbe.Security.Soc.Store;

public sealed class SqliteEventStoreTests : IDisposable
{
    private static readonly TimeZoneInfo Wib = TimeZoneInfo.FindSystemTimeZoneById("Asia/Jakarta");
    private static readonly DateTimeOffset Day = new(2026, 11, 24, 0, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory _temp = new();
    private readonly SqliteEventStore _store;
    private long _sequence;

    public SqliteEventStoreTests()
    {
        _store = new SqliteEventStore(_temp.Combine("soc"), Wib);
    }

    public void Dispose()
    {
        _store.Dispose();
        _temp.Dispose();
    }

    private SocEvent Event(DateTimeOffset at, string text, string? opd = "DINKES", IngestTransport transport = IngestTransport.Udp, string source = "dinkes-web") =>
        EventNormalizer.Normalize(
            new IngestRecord(at.ToUnixTimeMilliseconds(), transport, IngestFlags.None, "10.0.0.1", new SourceIdentity(source, opd), Encoding.UTF8.GetBytes(text))
            { Sequence = ++_sequence }, Wib);

    [Fact]
    public async Task QueryAsync_ByTimeOpdTextAndFields_ReturnsOnlyMatchingEventsNewestFirst()
    {
        _store.Write(
        [
            Event(Day.AddHours(1), "<38>Nov 24 08:00:00 web01 sshd[1]: Failed password for root from 10.9.9.9"),
            Event(Day.AddHours(2), "<38>Nov 24 09:00:00 web01 sshd[2]: Accepted password for budi"),
            Event(Day.AddHours(3), "<38>Nov 24 10:00:00 app02 nginx: Failed password? no, a 404", opd: "BAPENDA", source: "bapenda-web"),
            Event(Day.AddHours(4), "{\"message\":\"login gagal\",\"user\":{\"name\":\"199001012020121001\"},\"host\":{\"name\":\"pajak\"}}", opd: "BAPENDA", transport: IngestTransport.Http, source: "bapenda-app"),
        ]);

        // Note: rows are searched directly until the text index takes them (Flush, or enough rows or time): the same answers both ways.
        foreach (var indexed in new[] { false, true })
        {
            if (indexed)
            {
                _store.Flush();
            }

            var failed = await _store.QueryAsync(new EventQuery { Text = "failed password" });
            Assert.Equal([3L, 1L], failed.Events.Select(e => e.Sequence));

            // Note: an address is several tokens (10, 9, 9, 9), all of which must occur.
            var address = await _store.QueryAsync(new EventQuery { Text = "10.9.9.9" });
            Assert.Equal([1L], address.Events.Select(e => e.Sequence));

            var scoped = await _store.QueryAsync(new EventQuery { Text = "FAILED Password", Scope = ["DINKES"] });
            Assert.Equal([1L], scoped.Events.Select(e => e.Sequence));

            var window = await _store.QueryAsync(new EventQuery { Since = Day.AddHours(1.5), Until = Day.AddHours(3.5) });
            Assert.Equal([3L, 2L], window.Events.Select(e => e.Sequence));

            // Note: text in a window reads the text index only for the window's sequence numbers (and a margin).
            var textInWindow = await _store.QueryAsync(new EventQuery { Text = "failed password", Since = Day.AddHours(2.5), Until = Day.AddHours(3.5) });
            Assert.Equal([3L], textInWindow.Events.Select(e => e.Sequence));
            Assert.Equal(1, await _store.CountAsync(new EventQuery { Text = "failed", Since = Day.AddHours(2.5) }));
            Assert.Equal(0, await _store.CountAsync(new EventQuery { Text = "fail" }));
        }

        var byHost = await _store.QueryAsync(new EventQuery { Host = "web01", Program = "sshd" });
        Assert.Equal(2, byHost.Events.Count);

        var byField = await _store.QueryAsync(new EventQuery { Fields = new Dictionary<string, string> { ["user.name"] = "199001012020121001" } });
        Assert.Equal(["pajak"], byField.Events.Select(e => e.Syslog.Hostname));

        Assert.Equal(4, await _store.CountAsync(new EventQuery()));
        Assert.Equal(2, await _store.CountAsync(new EventQuery { Opd = "BAPENDA" }));
    }

    [Fact]
    public async Task QueryAsync_Paging_VisitsEveryEventOnceAcrossDays()
    {
        var events = Enumerable.Range(0, 250).Select(i => Event(Day.AddMinutes(i * 20), $"event {i}")).ToList();
        _store.Write(events);
        var seen = new List<long>();
        string? cursor = null;
        do
        {
            var page = await _store.QueryAsync(new EventQuery { Limit = 33, Cursor = cursor });
            seen.AddRange(page.Events.Select(e => e.Sequence));
            cursor = page.NextCursor;
        }
        while (cursor is not null);

        Assert.Equal(Enumerable.Range(1, 250).Select(i => (long)i).Reverse(), seen);
        Assert.True(Directory.GetFiles(_temp.Combine("soc"), "events-*.db").Length >= 4);
    }

    [Fact]
    public async Task Write_SameSequenceTwice_StoresItOnce()
    {
        var e = Event(Day, "once");
        _store.Write([e]);
        _store.Write([e]);
        Assert.Equal(1, await _store.CountAsync(new EventQuery()));
        Assert.Equal(1, await _store.CountAsync(new EventQuery { Text = "once" }));
    }

    [Fact]
    public async Task ApplyRetention_RemovesWholeDaysOlderThanThePolicy()
    {
        _store.Write([Event(Day.AddDays(-10), "lama"), Event(Day.AddDays(-1), "kemarin"), Event(Day, "hari ini")]);
        Assert.Equal(1, _store.ApplyRetention(Day.AddHours(12), days: 7));
        var page = await _store.QueryAsync(new EventQuery());
        Assert.Equal(["hari ini", "kemarin"], page.Events.Select(e => e.Original));
    }

    [Theory]
    [InlineData("\"unbalanced")]
    [InlineData("NEAR(a b) OR raw:x")]
    [InlineData("* ^ - AND")]
    public async Task QueryAsync_TextWithFtsSyntax_IsTakenLiterally(string text)
    {
        _store.Write([Event(Day, "nothing special")]);
        var page = await _store.QueryAsync(new EventQuery { Text = text });
        Assert.Empty(page.Events);
    }

    [Property(MaxTest = 150, Arbitrary = [typeof(WordsArbitrary)])]
    public bool TextSearch_FindsTheSameEventsBeforeAndAfterTheTextIndexTakesThem(string[] lines, string query)
    {
        using var temp = new TempDirectory();
        using var store = new SqliteEventStore(temp.Combine("soc"), Wib);
        var sequence = 0L;
        store.Write([.. lines.Select(line => EventNormalizer.Normalize(
            new IngestRecord(Day.ToUnixTimeMilliseconds(), IngestTransport.Tcp, IngestFlags.None, "10.0.0.1", new SourceIdentity("s", "DINKES"), Encoding.UTF8.GetBytes(line))
            { Sequence = ++sequence }, Wib))]);
        List<long> Found() => [.. store.QueryAsync(new EventQuery { Text = query, Limit = EventQuery.MaxLimit }).GetAwaiter().GetResult().Events.Select(e => e.Sequence)];
        var direct = Found();
        store.Flush();
        var indexed = Found();
        return direct.SequenceEqual(indexed);
    }

    /// <summary>Lines and queries from a small alphabet (so that words repeat): letters in both cases, digits,
    /// separators, and non-ASCII characters (which FTS5's ascii tokenizer keeps inside words).</summary>
    public static class WordsArbitrary
    {
        private static readonly Gen<string> Text = Gen.Choose(0, 24)
            .SelectMany(n => Gen.ArrayOf(Gen.Elements("abAB01 .:-_/\"é✓\u2400ß".ToCharArray()), n)).Select(c => new string(c));

        public static Arbitrary<string> Query() => Text.ToArbitrary();

        public static Arbitrary<string[]> Lines() => Gen.Choose(1, 20).SelectMany(n => Gen.ArrayOf(Text, n)).ToArbitrary();
    }

    [Fact]
    public async Task QueryAsync_TextOverIndexedAndNotYetIndexedRows_FindsThemAll()
    {
        // Note: the first write is more than a chunk, so the text index takes it at once; the second stays out of the
        // index for a while (until a second passes or Flush), and a search must find both.
        _store.Write([.. Enumerable.Range(0, 66_000).Select(i => Event(Day.AddMilliseconds(i), $"login gagal nip{i % 7} dari 10.1.1.{i % 250}"))]);
        _store.Write([.. Enumerable.Range(0, 7).Select(i => Event(Day.AddMinutes(5), $"login gagal nip{i} dari pos-jaga"))]);
        var expected = Enumerable.Range(0, 66_000).Count(i => i % 7 == 3) + 1;
        Assert.Equal(expected, await _store.CountAsync(new EventQuery { Text = "gagal NIP3" }));
        Assert.Equal(7, await _store.CountAsync(new EventQuery { Text = "jaga" }));
        _store.Flush();
        Assert.Equal(expected, await _store.CountAsync(new EventQuery { Text = "gagal NIP3" }));
    }

    [Property(MaxTest = 100, Arbitrary = [typeof(ColumnsArbitrary)])]
    public bool Write_AnyMixOfColumnValues_IsFoundByEachOfThem(ColumnsArbitrary.Row[] rows)
    {
        using var temp = new TempDirectory();
        using var store = new SqliteEventStore(temp.Combine("soc"), Wib);
        var sequence = 0L;
        var events = rows.Select(r => EventNormalizer.Normalize(
            new IngestRecord(Day.ToUnixTimeMilliseconds(), r.Transport, IngestFlags.None, r.Peer, new SourceIdentity(r.Source, r.Opd), Encoding.UTF8.GetBytes(r.Line))
            { Sequence = ++sequence }, Wib)).ToList();
        store.Write(events);
        long Count(EventQuery query) => store.CountAsync(query).GetAwaiter().GetResult();
        var stored = store.QueryAsync(new EventQuery { Limit = EventQuery.MaxLimit }).GetAwaiter().GetResult().Events.OrderBy(e => e.Sequence).ToList();
        return stored.Select(e => (e.Opd, e.Source, e.Peer, e.Transport, e.Original)).SequenceEqual(events.Select(e => (e.Opd, e.Source, e.Peer, e.Transport, e.Original)))
            && events.GroupBy(e => e.Opd).All(g => g.Key is null || Count(new EventQuery { Opd = g.Key }) == g.Count())
            && events.GroupBy(e => e.Source).All(g => Count(new EventQuery { Source = g.Key }) == g.Count())
            && events.GroupBy(e => e.Syslog.Hostname).All(g => g.Key is null || Count(new EventQuery { Host = g.Key }) == g.Count())
            && events.GroupBy(e => e.Syslog.AppName).All(g => g.Key is null || Count(new EventQuery { Program = g.Key }) == g.Count())
            && Enumerable.Range(0, 8).All(level => Count(new EventQuery { MaxSeverity = level }) == events.Count(e => e.Syslog.Severity <= level));
    }

    /// <summary>Events whose columns take few values, null and empty among them, in any order, so that consecutive rows
    /// share some values and not others.</summary>
    public static class ColumnsArbitrary
    {
        public sealed record Row(string? Opd, string Source, string Peer, IngestTransport Transport, string Line);

        public static Arbitrary<Row[]> Rows()
        {
            var line = Gen.OneOf(
                Gen.Elements("web01", "web02", "").SelectMany(host => Gen.Elements("sshd", "nginx").SelectMany(program => Gen.Choose(0, 191)
                    .Select(pri => $"<{pri}>Nov 24 08:00:00 {host} {program}: pesan"))),
                Gen.Elements("tanpa kepala", "", "<13>", "x"));
            var row = Gen.Elements<string?>(null, "DINKES", "BAPENDA").SelectMany(opd => Gen.Elements("a", "b", "").SelectMany(source =>
                Gen.Elements("10.0.0.1", "10.0.0.2").SelectMany(peer => Gen.Elements(IngestTransport.Udp, IngestTransport.Tcp)
                    .SelectMany(transport => line.Select(l => new Row(opd, source, peer, transport, l))))));
            return Gen.Choose(1, 30).SelectMany(n => Gen.ArrayOf(row, n)).ToArbitrary();
        }
    }

    [Fact]
    public async Task QueryAsync_BadFieldPathOrCursor_IsRefused()
    {
        _store.Write([Event(Day, "x")]);
        await Assert.ThrowsAsync<ArgumentException>(() => _store.QueryAsync(new EventQuery { Fields = new Dictionary<string, string> { ["a') OR 1=1 --"] = "x" } }));
        await Assert.ThrowsAsync<ArgumentException>(() => _store.QueryAsync(new EventQuery { Cursor = "not-a-cursor" }));
    }
}
