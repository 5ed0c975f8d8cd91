using System.Globalization;
using System.Text;
using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Spbe.Security.Policies;
using Spbe.Security.Soc.Incidents.Notifications;
using Spbe.Security.Soc.Incidents.Persistence;

namespace Spbe.Security.Soc.Incidents;

/// <summary>SLA deadlines, breaches and figures; tasks, attachments and observables; announcements by webhook.</summary>
public sealed partial class IncidentServiceTests
{
    private IncidentSla Sla => _host.Services.GetRequiredService<IncidentSla>();

    [Fact]
    public async Task Sla_BreachesAreRecordedOnce_WithTimelineEntries_AndFollowTheSeverity()
    {
        // Shipped policy: Tinggi acknowledge 1h, resolve 1d; Kritis 15m and 4h.
        var high = (await Service.RecordAsync([Alert("DINKES", "203.0.113.9", level: 10)])).Single();
        var critical = (await Service.RecordAsync([Alert("DINKES", "198.51.100.7", level: 13)])).Single();
        Assert.Empty(await Sla.SweepAsync());

        _time.Advance(TimeSpan.FromMinutes(20));
        var first = await Sla.SweepAsync();
        Assert.Equal([(critical.Id, SlaKind.Acknowledge)], first.Select(b => (b.IncidentId, b.Kind)));
        Assert.Empty(await Sla.SweepAsync());

        // Acknowledged in time: the acknowledge clock stops; resolving late is still a breach.
        await Service.AcknowledgeAsync(high.Id, 0, Nip);
        _time.Advance(TimeSpan.FromHours(4));
        Assert.Equal([(critical.Id, SlaKind.Resolve)], (await Sla.SweepAsync()).Select(b => (b.IncidentId, b.Kind)));
        _time.Advance(TimeSpan.FromDays(1));
        Assert.Equal([(high.Id, SlaKind.Resolve)], (await Sla.SweepAsync()).Select(b => (b.IncidentId, b.Kind)));

        var detail = (await Service.GetAsync(critical.Id))!;
        Assert.Equal(2, detail.Entries.Count(e => e.Kind == IncidentEntryKinds.Sla));
        var state = Sla.Evaluate(detail.Incident, _time.GetUtcNow().ToUnixTimeMilliseconds());
        Assert.True(state is { AcknowledgeBreached: true, ResolveBreached: true, Acknowledged: false });
        Assert.Equal(critical.CreatedAt + (long)TimeSpan.FromMinutes(15).TotalMilliseconds, state.AcknowledgeDue);

        // Note: an incident acknowledged late, between two sweeps, is still found late.
        var late = (await Service.RecordAsync([Alert("BAPPEDA", "192.0.2.1", level: 7)])).Single();
        _time.Advance(TimeSpan.FromHours(5));
        await Service.AcknowledgeAsync(late.Id, 0, Nip);
        Assert.Contains(await Sla.SweepAsync(), b => b.IncidentId == late.Id && b.Kind == SlaKind.Acknowledge);
    }

    [Fact]
    public async Task Sla_Stats_GiveMttaMttrBreachesAndCompliancePerOpdAndMonth()
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById("Asia/Jakarta");
        var a = (await Service.RecordAsync([Alert("DINKES", "203.0.113.1")])).Single();
        var b = (await Service.RecordAsync([Alert("DINKES", "203.0.113.2")])).Single();
        var c = (await Service.RecordAsync([Alert("BAPPEDA", "203.0.113.3")])).Single();
        _time.Advance(TimeSpan.FromMinutes(10));
        await Service.AcknowledgeAsync(a.Id, 0, Nip);
        _time.Advance(TimeSpan.FromMinutes(20));
        await Service.AcknowledgeAsync(b.Id, 0, Nip);
        await Service.MoveAsync(b.Id, 1, IncidentStatus.Selesai, null, Nip);
        _time.Advance(TimeSpan.FromHours(2));
        await Service.MoveAsync(a.Id, 1, IncidentStatus.PositifPalsu, "uji", Nip);

        var month = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.FromHours(7));
        var rows = await Sla.StatsAsync(null, month, month.AddMonths(1), zone);
        var dinkes = rows.Single(r => r.Opd == "DINKES");
        Assert.Equal((2026, 11, 2, 2, 2), (dinkes.Year, dinkes.Month, dinkes.Opened, dinkes.Acknowledged, dinkes.Resolved));
        Assert.Equal(TimeSpan.FromMinutes(20), dinkes.MeanTimeToAcknowledge);
        Assert.Equal(TimeSpan.FromMinutes((30 + 150) / 2.0), dinkes.MeanTimeToResolve);
        Assert.Equal(1.0, dinkes.Compliance);

        // BAPPEDA's incident was never acknowledged: past its hour it counts as a breach at once, before any sweep.
        var bappeda = rows.Single(r => r.Opd == "BAPPEDA");
        Assert.Equal((1, 0, (TimeSpan?)null, 1, 0.0), (bappeda.Opened, bappeda.Acknowledged, bappeda.MeanTimeToAcknowledge, bappeda.AcknowledgeBreaches, bappeda.Compliance));
        var city = rows.Single(r => r.Opd is null);
        Assert.Equal((3, 2.0 / 3), (city.Opened, city.Compliance));

        Assert.Equal(["DINKES"], (await Sla.StatsAsync(["DINKES"], month, month.AddMonths(1), zone)).Select(r => r.Opd).OfType<string>());
        Assert.Empty(await Sla.StatsAsync(null, month.AddMonths(1), month.AddMonths(2), zone));
        Assert.Equal([c.Opd], (await Service.CountByOpdAsync(["BAPPEDA"], 0)).Select(x => x.Opd));
    }

    [Fact]
    public void SlaPolicy_RefusesUnknownKeys_MissingSeverities_BadDurations_AndLooserStricterTargets()
    {
        const string Good = "check_every: 30s\nseverities:\n  kritis: { acknowledge: 15m, resolve: 4h }\n  tinggi: { acknowledge: 1h, resolve: 1d }\n  sedang: { acknowledge: 4h, resolve: 3d }\n  rendah: { acknowledge: 1d, resolve: 7d }\n";
        var policy = SlaPolicy.FromText(Good);
        Assert.Equal((TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(15), TimeSpan.FromDays(7)),
            (policy.CheckEvery, policy.For(IncidentSeverity.Kritis).Acknowledge, policy.For(IncidentSeverity.Rendah).Resolve));

        string[] bad =
        [
            Good.Replace("check_every", "check_evry", StringComparison.Ordinal),
            Good.Replace("  rendah: { acknowledge: 1d, resolve: 7d }\n", "", StringComparison.Ordinal),
            Good.Replace("15m", "15 minutes", StringComparison.Ordinal),
            Good.Replace("15m", "0m", StringComparison.Ordinal),
            Good.Replace("resolve: 4h", "resolve: 10m", StringComparison.Ordinal),
            Good.Replace("acknowledge: 15m", "acknowledge: 2h", StringComparison.Ordinal),
            Good.Replace("7d", "400d", StringComparison.Ordinal),
            "severities: [1, 2]",
        ];
        foreach (var text in bad)
        {
            var ex = Assert.Throws<PolicyException>(() => SlaPolicy.FromText(text));
            Assert.NotEmpty(ex.Errors);
        }
    }

    [Property(MaxTest = 300)]
    public bool Durations_ParseTheirOwnFormat_AndRefuseEverythingElse(NonNegativeInt n, char unit, string junk)
    {
        var text = n.Get.ToString(CultureInfo.InvariantCulture) + unit;
        var parsed = SlaPolicy.TryParseDuration(text, out var value);
        var expected = unit switch
        {
            's' => TimeSpan.FromSeconds(n.Get),
            'm' => TimeSpan.FromMinutes(n.Get),
            'h' => TimeSpan.FromHours(n.Get),
            'd' => TimeSpan.FromDays(n.Get),
            _ => (TimeSpan?)null,
        };

        // Note: arbitrary text never throws, and is a duration only when it is digits then one unit letter.
        var junkParsed = SlaPolicy.TryParseDuration(junk ?? "", out _);
        var junkShape = junk is { Length: >= 2 and <= 9 } j && j[..^1].All(char.IsAsciiDigit) && j[^1] is 's' or 'm' or 'h' or 'd';
        return parsed == expected.HasValue && (!parsed || value == expected) && junkParsed == junkShape;
    }

    [Fact]
    public async Task TasksAttachmentsAndObservables_AreKeptWithTheirTimeline()
    {
        var sha = new string('a', 64);
        var id = (await Service.RecordAsync([Alert("DINKES", "203.0.113.9", more: [new("md5", "D41D8CD98F00B204E9800998ECF8427E"), new("url", "/wp-login.php?x=<script>"), new("sha256", "not-a-hash")])])).Single().Id;
        var task = await Service.AddTaskAsync(id, "Blokir 203.0.113.9 di firewall", Nip);
        await Service.SetTaskDoneAsync(id, task.Id, true, Nip);
        var attachment = await Service.AddAttachmentAsync(id, sha, "../../etc/bukti\\pcap.bin", 1234, Nip);
        Assert.Equal(attachment.Id, (await Service.AddAttachmentAsync(id, sha, "lagi.bin", 1234, Nip)).Id);
        Assert.Equal("pcap.bin", attachment.Name);

        var detail = (await Service.GetAsync(id))!;
        Assert.True(detail.Tasks.Single().Done);
        Assert.Single(detail.Attachments);
        Assert.Equal("d41d8cd98f00b204e9800998ecf8427e", detail.Incident.Hashes);
        Assert.Equal("/wp-login.php?x=<script>", detail.Incident.Urls);
        Assert.Equal(3, detail.Entries.Count(e => e.Kind is IncidentEntryKinds.Task or IncidentEntryKinds.Attachment));

        foreach (var bad in new Func<Task>[]
        {
            () => Service.AddTaskAsync(id, "  ", Nip),
            () => Service.AddTaskAsync(id, new string('x', 201), Nip),
            () => Service.AddAttachmentAsync(id, "ABC", "x", 1, Nip),
            () => Service.AddAttachmentAsync(id, sha.ToUpperInvariant(), "x", 1, Nip),
            () => Service.AddAttachmentAsync(id, sha, "", 1, Nip),
        })
        {
            Assert.Equal(SocErrors.IncidentInvalid, (await Assert.ThrowsAsync<SpbeException>(bad)).Code);
        }

        Assert.Equal(SocErrors.IncidentNotFound, (await Assert.ThrowsAsync<SpbeException>(() => Service.SetTaskDoneAsync(id + 1, task.Id, true, Nip))).Code);
        Assert.Equal(SocErrors.IncidentNotFound, (await Assert.ThrowsAsync<SpbeException>(() => Service.AddTaskAsync(id + 99, "x", Nip))).Code);
    }

    [Fact]
    public async Task AttachmentStore_KeepsFilesByContent_AndRefusesOversizedOnesWithoutLeavingAnything()
    {
        var store = new IncidentAttachmentStore(Path.Combine(_data.Path, "lampiran"));
        var (sha, size) = await store.SaveAsync(new MemoryStream(Encoding.UTF8.GetBytes("bukti")));
        Assert.Equal(5L, size);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData("bukti"u8)), sha);
        Assert.Equal((sha, 5L), await store.SaveAsync(new MemoryStream(Encoding.UTF8.GetBytes("bukti"))));
        await using (var read = store.Open(sha)!)
        {
            Assert.Equal("bukti", await new StreamReader(read).ReadToEndAsync());
        }

        Assert.Null(store.Open("../" + sha[3..]));
        Assert.Null(store.Open(new string('b', 64)));
        var ex = await Assert.ThrowsAsync<SpbeException>(() => store.SaveAsync(new MemoryStream(new byte[IncidentLimits.AttachmentBytes + 1])));
        Assert.Equal(SocErrors.IncidentInvalid, ex.Code);
        Assert.Single(Directory.GetFiles(Path.Combine(_data.Path, "lampiran"), "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Notifier_SignsWebhookAnnouncementsOfHighIncidentsAndBreaches_AndRetriesAFailingReceiver()
    {
        const string Secret = "rahasia-webhook-uji-yang-cukup-panjang-0123";

        // Note: the first delivery fails (a receiver that restarts): the notifier retries it with the same id.
        using var receiver = new Spbe.Security.Testing.WebhookReceiver(failFirst: 1);
        var options = Options.Create(new SocOptions { Notify = new NotifyOptions { WebhookUrl = receiver.Url, WebhookSecret = Secret, ConsoleUrl = "https://sso.kota.go.id/" } });
        using var notifier = new IncidentNotifier(options, new Lazy<IncidentService>(Service), TimeProvider.System, NullLogger<IncidentNotifier>.Instance);
        await notifier.StartAsync(CancellationToken.None);
        var high = (await Service.RecordAsync([Alert("DINKES", "203.0.113.9", level: 12)])).Single();
        await Service.RecordAsync([Alert("DINKES", "198.51.100.1", level: 7)]);
        notifier.Post([new SlaBreach(high.Id, high.Title, "DINKES", IncidentSeverity.Tinggi, SlaKind.Acknowledge, 0, 0, null)]);
        var received = await receiver.WaitAsync(3);

        // Note: stopping drains the queue, so the count of announcements sent is final afterwards.
        await notifier.StopAsync(CancellationToken.None);

        Assert.Equal(2, notifier.Sent);
        Assert.Equal(3, received.Count);
        Assert.Equal(received[0].Id, received[1].Id);
        Assert.Equal([IncidentNotifier.IncidentCreated, IncidentNotifier.IncidentCreated, IncidentNotifier.SlaBreached], received.Select(r => r.Type));
        foreach (var r in received)
        {
            Assert.Equal(IncidentNotifier.Sign(Secret, r.Timestamp, r.Body), r.Signature);
            Assert.NotEqual(IncidentNotifier.Sign(Secret + "x", r.Timestamp, r.Body), r.Signature);
        }

        var json = received[1].Json;
        Assert.Equal(high.Id, json.RootElement.GetProperty("incident").GetProperty("id").GetInt64());
        Assert.Equal($"https://sso.kota.go.id/soc/insiden/{high.Id}", json.RootElement.GetProperty("incident").GetProperty("url").GetString());
        Assert.Equal("Tinggi", json.RootElement.GetProperty("incident").GetProperty("severity").GetString());
    }


    [Fact]
    public async Task ClosedIncidents_ExportForAudit_InCsvWithFormulasDefused_AndNdjsonWithTimelines()
    {
        var closed = (await Service.RecordAsync([Alert("DINKES", "203.0.113.9", user: "=HYPERLINK(\"http://x\")")])).Single();
        var open = (await Service.RecordAsync([Alert("DINKES", "198.51.100.7")])).Single();
        var other = (await Service.RecordAsync([Alert("BAPPEDA", "192.0.2.1")])).Single();
        await Service.AddNoteAsync(closed.Id, "diblokir, \"selesai\"", Nip);
        await Service.MoveAsync(closed.Id, 0, IncidentStatus.Selesai, null, Nip);
        await Service.MoveAsync(other.Id, 0, IncidentStatus.PositifPalsu, null, Nip);
        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();

        using var csv = new MemoryStream();
        var count = await Reports.IncidentExport.WriteAsync(csv, Reports.IncidentExportFormat.Csv, Service.ClosedAsync(["DINKES"], now - 60_000, now + 1));
        var lines = Encoding.UTF8.GetString(csv.ToArray()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(1, count);
        Assert.StartsWith("id,judul,opd,tingkat,status", lines[0], StringComparison.Ordinal);
        Assert.StartsWith($"{closed.Id},", lines[1], StringComparison.Ordinal);
        Assert.Contains(",Selesai,", lines[1], StringComparison.Ordinal);
        Assert.Contains("\"'=HYPERLINK(\"\"http://x\"\")\"", lines[1], StringComparison.Ordinal);
        Assert.DoesNotContain(open.Id.ToString(CultureInfo.InvariantCulture) + ",", string.Join('\n', lines.Skip(2)), StringComparison.Ordinal);

        using var ndjson = new MemoryStream();
        Assert.Equal(2, await Reports.IncidentExport.WriteAsync(ndjson, Reports.IncidentExportFormat.NdJson, Service.ClosedAsync(null, now - 60_000, now + 1)));
        var records = Encoding.UTF8.GetString(ndjson.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal([closed.Id, other.Id], records.Select(r => r.GetProperty("id").GetInt64()));
        Assert.Contains(records[0].GetProperty("timeline").EnumerateArray(), e => e.GetProperty("text").GetString() == "diblokir, \"selesai\"");
        Assert.Equal("Positif palsu", records[1].GetProperty("status").GetString());
        Assert.Equal("'+1", Reports.IncidentExport.Cell("+1"));
        Assert.Equal("\"'-2,3\"", Reports.IncidentExport.Cell("-2,3"));
    }

    [Fact]
    public async Task Reports_AreReadablePdfs_WithTheIncidentAndTheSignatureAnchor()
    {
        var id = (await Service.RecordAsync([Alert("DINKES", "203.0.113.9", user: "<script>alert(1)</script>")])).Single().Id;
        await Service.AddNoteAsync(id, "Alamat diblokir di firewall.", Nip);
        var detail = (await Service.GetAsync(id))!;
        var context = new Reports.ReportContext("Pemerintah Kota Contoh", "Kota Contoh", new DateTimeOffset(2026, 11, 24, 10, 0, 0, TimeSpan.FromHours(7)),
            "Budi Santoso", "198001012005011001", "Kepala Dinas Komunikasi dan Informatika", Nip, Reports.IncidentReports.NewAnchor());
        Assert.Matches("^#ttd-[0-9a-f]{16}#$", context.Anchor);
        Assert.NotEqual(context.Anchor, Reports.IncidentReports.NewAnchor());
        foreach (var kind in Enum.GetValues<Reports.IncidentReportKind>())
        {
            var pdf = Reports.IncidentReports.Write(kind, detail, Sla.Evaluate(detail.Incident, _time.GetUtcNow().ToUnixTimeMilliseconds()), context);
            using var temp = new Spbe.Security.Testing.TempDirectory();
            var file = Path.Combine(temp.Path, "r.pdf");
            await File.WriteAllBytesAsync(file, pdf);
            var text = (await Spbe.Security.Testing.ExternalTool.RunAsync("pdftotext", [file, "-"])).Output;
            Assert.Contains(context.Anchor, text, StringComparison.Ordinal);
            Assert.Contains("Budi Santoso", text, StringComparison.Ordinal);
            Assert.Contains(Reports.IncidentReports.NumberOf(kind, detail.Incident, context.Date), text, StringComparison.Ordinal);
            Assert.Contains("DINKES", text, StringComparison.Ordinal);
            Assert.Contains(kind == Reports.IncidentReportKind.Laporan ? "<script>alert(1)</script>" : "Wali Kota", text, StringComparison.Ordinal);
            Assert.Contains(kind == Reports.IncidentReportKind.Laporan ? "LAPORAN INSIDEN SIBER" : "NOTA DINAS", text, StringComparison.Ordinal);
        }
    }
}
