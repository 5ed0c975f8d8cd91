using FsCheck.Xunit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using Spbe.Security.Data;
using Spbe.Security.Soc.Alerts;
using Spbe.Security.Soc.Incidents.Persistence;
using Spbe.Security.Soc.Parsing;
using Spbe.Security.Soc.Store;
using Spbe.Security.Testing;

namespace Spbe.Security.Soc.Incidents;

/// <summary>Alerts grouped into incidents by key and window, and the workflow's rules, on the configured engine.</summary>
[Trait("Category", "Database")]
public sealed partial class IncidentServiceTests : IAsyncLifetime
{
    private const string Nip = "198001012005011002";
    private readonly TempDirectory _data = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 24, 3, 0, 0, TimeSpan.Zero));
    private TestDatabase _database = null!;
    private IHost _host = null!;
    private long _sequence;

    private IncidentService Service => _host.Services.GetRequiredService<IncidentService>();

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync();
        var builder = TestHosts.CreateBuilder(_data.Path, settings: _database.Settings);
        builder.AddSpbeSoc();
        builder.Services.AddSingleton<TimeProvider>(_time);
        _host = builder.Build();
        await _host.Services.GetServices<IDataStore>().Single(s => s.Name == IncidentStoreContext.StoreName).InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        _host.Dispose();
        await _database.DisposeAsync();
        _data.Dispose();
    }

    private SocEvent Alert(string opd, string ip, int level = 10, int rule = 100122, string? user = null, params KeyValuePair<string, string>[] more) => new()
    {
        Sequence = ++_sequence,
        Timestamp = _time.GetUtcNow(),
        Opd = opd,
        Source = "web-" + opd,
        Syslog = new SyslogMessage { Hostname = "web01" },
        Alert = new SocAlert
        {
            Sequence = _sequence, Timestamp = _time.GetUtcNow(), RuleId = rule, Level = level, Description = $"SSH: brute force dari {ip}",
            Groups = ["authentication_failures"], Mitre = ["T1110"],
            Fields = [.. user is null ? [new("srcip", ip)] : new KeyValuePair<string, string>[] { new("srcip", ip), new("srcuser", user) }, .. more],
        },
    };

    [Fact]
    public async Task RepeatsUpdateTheIncident_OtherKeysAndTheWindowMakeNewOnes_LowLevelsNone()
    {
        var created = await Service.RecordAsync([Alert("DINKES", "203.0.113.9", user: "root"), Alert("DINKES", "203.0.113.9", user: "admin"), Alert("DINKES", "203.0.113.9", level: 5)]);
        Assert.Single(created);
        _time.Advance(TimeSpan.FromHours(2));
        Assert.Empty(await Service.RecordAsync([Alert("DINKES", "203.0.113.9", level: 12)]));
        Assert.Equal(2, (await Service.RecordAsync([Alert("DINKES", "198.51.100.7"), Alert("BAPPEDA", "203.0.113.9")])).Count);

        var incident = (await Service.GetAsync(created[0].Id))!;
        Assert.Equal((3L, 12, IncidentSeverity.Tinggi), (incident.Incident.AlertCount, incident.Incident.MaxLevel, incident.Incident.Severity));
        Assert.Equal("root admin", incident.Incident.Users);
        Assert.Equal(TimeSpan.FromHours(2), TimeSpan.FromMilliseconds(incident.Incident.LastSeen - incident.Incident.FirstSeen));
        Assert.Equal(3, incident.Alerts.Count);
        Assert.Equal(IncidentEntryKinds.Created, incident.Entries.Single().Kind);

        // Note: a day without alerts closes the window; the next alert starts a new incident.
        _time.Advance(TimeSpan.FromHours(25));
        Assert.Single(await Service.RecordAsync([Alert("DINKES", "203.0.113.9")]));
        Assert.Equal(4, (await Service.ListAsync(new IncidentFilter())).Total);
        Assert.Equal(1, (await Service.ListAsync(new IncidentFilter { Scope = ["BAPPEDA"] })).Total);
        Assert.Equal(3, (await Service.ListAsync(new IncidentFilter { Text = "203.0.113.9" })).Total);
        Assert.Equal(2, (await Service.ListAsync(new IncidentFilter { Opd = "DINKES", Text = "203.0.113.9" })).Total);
    }

    [Fact]
    public async Task Workflow_ChecksVersionsAndMoves_AndAClosedIncidentTakesNoMoreAlerts()
    {
        var id = (await Service.RecordAsync([Alert("DINKES", "203.0.113.9")])).Single().Id;
        var acked = await Service.AcknowledgeAsync(id, 0, Nip);
        Assert.Equal((IncidentStatus.Triase, 1), (acked.Status, acked.Version));
        Assert.NotNull(acked.AcknowledgedAt);
        Assert.Equal(SocErrors.IncidentConflict, (await Assert.ThrowsAsync<SpbeException>(() => Service.AssignAsync(id, 0, Nip, Nip))).Code);
        Assert.Equal(SocErrors.IncidentInvalid, (await Assert.ThrowsAsync<SpbeException>(() => Service.AssignAsync(id, 1, "12345", Nip))).Code);
        Assert.Equal(SocErrors.IncidentInvalid, (await Assert.ThrowsAsync<SpbeException>(() => Service.MoveAsync(id, 1, IncidentStatus.Baru, null, Nip))).Code);
        Assert.Equal(SocErrors.IncidentNotFound, (await Assert.ThrowsAsync<SpbeException>(() => Service.AddNoteAsync(id + 100, "x", Nip))).Code);
        var edited = await Service.EditAsync(id, 1, null, IncidentSeverity.Kritis, Nip);
        Assert.True(edited.SeveritySet);
        var closed = await Service.MoveAsync(id, 2, IncidentStatus.PositifPalsu, "uji penetrasi terjadwal", Nip);
        Assert.NotNull(closed.ClosedAt);

        Assert.Single(await Service.RecordAsync([Alert("DINKES", "203.0.113.9")]));
        var detail = (await Service.GetAsync(id))!;
        Assert.Equal(1, detail.Incident.AlertCount);
        Assert.Contains(detail.Entries, e => e.Text.Contains("uji penetrasi terjadwal", StringComparison.Ordinal));
    }

    [Fact]
    public async Task MergeAndSplit_MoveAlertsAndKeepTheCounts()
    {
        var first = (await Service.RecordAsync([Alert("DINKES", "203.0.113.9"), Alert("DINKES", "203.0.113.9")])).Single();
        var second = (await Service.RecordAsync([Alert("DINKES", "198.51.100.7", level: 13)])).Single();
        var other = (await Service.RecordAsync([Alert("BAPPEDA", "198.51.100.7")])).Single();
        Assert.Equal(SocErrors.IncidentInvalid, (await Assert.ThrowsAsync<SpbeException>(() => Service.MergeAsync(first.Id, 0, [other.Id], Nip))).Code);

        var merged = await Service.MergeAsync(first.Id, 0, [second.Id], Nip);
        Assert.Equal((3L, IncidentSeverity.Kritis, "203.0.113.9 198.51.100.7"), (merged.AlertCount, merged.Severity, merged.SourceIps));
        var duplicate = (await Service.GetAsync(second.Id))!.Incident;
        Assert.Equal((IncidentStatus.Duplikat, (long?)first.Id), (duplicate.Status, duplicate.MergedInto));

        var alerts = (await Service.GetAsync(first.Id))!.Alerts;
        Assert.Equal(3, alerts.Count);
        var moved = alerts.Where(a => a.SourceIp == "198.51.100.7").Select(a => a.Sequence).ToList();
        var split = await Service.SplitAsync(first.Id, merged.Version, moved, Nip);
        Assert.Equal((1L, IncidentStatus.Triase, "198.51.100.7"), (split.AlertCount, split.Status, split.SourceIps));
        Assert.Equal(2, (await Service.GetAsync(first.Id))!.Incident.AlertCount);
        Assert.Equal(SocErrors.IncidentInvalid, (await Assert.ThrowsAsync<SpbeException>(() => Service.SplitAsync(split.Id, split.Version, moved, Nip))).Code);

        await Service.MarkAlertAsync(split.Id, moved[0], truePositive: false, Nip);
        Assert.False((await Service.GetAsync(split.Id))!.Alerts.Single().TruePositive);
    }

    [Property(MaxTest = 2000)]
    public bool Workflow_NeverGoesBackToBaru_AndLeavesAClosureOnlyForTriase(int from, int to)
    {
        var (a, b) = ((IncidentStatus)(Math.Abs(from % 8)), (IncidentStatus)(Math.Abs(to % 8)));
        var allowed = IncidentStatuses.CanMove(a, b);
        return !allowed || (Enum.IsDefined(b) && b != IncidentStatus.Baru && (a.IsClosed() ? b == IncidentStatus.Triase : b > a));
    }

    [Property(MaxTest = 2000)]
    public bool Grouper_JoinsWithinTheWindowOnly(byte gapMinutes, bool sameKey)
    {
        var grouper = new IncidentGrouper(TimeSpan.FromMinutes(100));
        grouper.Track("DINKES|1|ip:a", 1, 0);
        var found = grouper.TryFind(sameKey ? "DINKES|1|ip:a" : "DINKES|1|ip:b", gapMinutes * 60_000L, out var id);
        return found == (sameKey && gapMinutes <= 100) && (!found || id == 1);
    }
}
