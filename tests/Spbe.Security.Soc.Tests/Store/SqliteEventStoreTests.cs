using System.Text;
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

        var failed = await _store.QueryAsync(new EventQuery { Text = "failed password" });
        Assert.Equal([3L, 1L], failed.Events.Select(e => e.Sequence));

        // Note: an address is several tokens (10, 9, 9, 9), all of which must occur.
        var address = await _store.QueryAsync(new EventQuery { Text = "10.9.9.9" });
        Assert.Equal([1L], address.Events.Select(e => e.Sequence));

        var scoped = await _store.QueryAsync(new EventQuery { Text = "failed password", Scope = ["DINKES"] });
        Assert.Equal([1L], scoped.Events.Select(e => e.Sequence));

        var window = await _store.QueryAsync(new EventQuery { Since = Day.AddHours(1.5), Until = Day.AddHours(3.5) });
        Assert.Equal([3L, 2L], window.Events.Select(e => e.Sequence));

        // Note: text in a window reads the text index only for the window's sequence numbers (and a margin).
        var textInWindow = await _store.QueryAsync(new EventQuery { Text = "failed password", Since = Day.AddHours(2.5), Until = Day.AddHours(3.5) });
        Assert.Equal([3L], textInWindow.Events.Select(e => e.Sequence));
        Assert.Equal(1, await _store.CountAsync(new EventQuery { Text = "failed", Since = Day.AddHours(2.5) }));

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

    [Fact]
    public async Task QueryAsync_BadFieldPathOrCursor_IsRefused()
    {
        _store.Write([Event(Day, "x")]);
        await Assert.ThrowsAsync<ArgumentException>(() => _store.QueryAsync(new EventQuery { Fields = new Dictionary<string, string> { ["a') OR 1=1 --"] = "x" } }));
        await Assert.ThrowsAsync<ArgumentException>(() => _store.QueryAsync(new EventQuery { Cursor = "not-a-cursor" }));
    }
}
