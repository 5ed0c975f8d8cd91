using System.Net;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Spbe.Security.Host.Identity;
using Spbe.Security.Soc.Incidents;
using Spbe.Security.Soc.Ingest;
using Spbe.Security.Testing;
using static Spbe.Security.Host.BrowserPages;

namespace Spbe.Security.Host.Soc;

/// <summary>
/// The CSIRT console in headless Chromium: an analyst signs in through the provider's own sign-in page, the OpenSSH log of
/// ../shared is replayed through the pipeline, its brute-force incidents appear in the queue, and the analyst acknowledges,
/// assigns, notes and closes one; an OPD's admin gets 403 for another OPD's incident by URL and by API; log lines carrying
/// script and image payloads render as text and run nothing.
/// </summary>
[Trait("Category", "Database")]
public sealed class ConsoleBrowserTests : IAsyncLifetime
{
    private const string AnalystNip = SocConsoleAccounts.AnalystNip;
    private const string BappedaAdminNip = SocConsoleAccounts.BappedaAdminNip;
    private const string ConsoleSecret = "rahasia-konsol-csirt-peramban-yang-panjang";
    private TestDatabase _database = null!;
    private SpbeHostFactory _factory = null!;
    private IPlaywright? _playwright;
    private IBrowser? _browser;
    private string _base = string.Empty;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync();
        _factory = new SpbeHostFactory(_database);
        await SocConsoleAccounts.SeedAsync(_factory, ConsoleSecret);
        using var http = _factory.CreateHttpClient();
        _base = $"http://localhost:{http.BaseAddress!.Port}";
        (_playwright, _browser) = await LaunchAsync();
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
        await _factory.DisposeAsync();
        await _database.DisposeAsync();
    }

    private async Task ReplayAsync(string opd, IEnumerable<string> lines)
    {
        var now = TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds();
        var records = lines.Select((line, i) => new IngestRecord(now + i, IngestTransport.Tcp, IngestFlags.None, "127.0.0.1",
            new SourceIdentity("ssh-" + opd.ToLowerInvariant(), opd), Encoding.UTF8.GetBytes("<38>" + line))).ToList();
        var pipeline = _factory.Services.GetRequiredService<IngestPipeline>();
        await pipeline.SubmitAsync(records, durable: true);
        await pipeline.DrainAsync();
        await _factory.Services.GetRequiredService<IncidentIntake>().DrainAsync();
    }

    /// <summary>Opens <paramref name="path"/>, which sends the browser to the sign-in page, signs in and comes back.</summary>
    private async Task<IPage> SignInAsync(IBrowserContext context, string nip, string path)
    {
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(60_000);
        await GoAsync(page, _base + path);
        await ArriveAsync(page, url => url.Contains("/masuk", StringComparison.Ordinal));
        await page.FillAsync("#Input_Nip", nip);
        await page.FillAsync("#Input_Password", SsoTestKit.Password);
        await page.ClickAsync("form:not(#form-passkey) button[type=submit]");
        await ArriveAsync(page, url => url.EndsWith(path, StringComparison.Ordinal));
        return page;
    }

    [SharedDataFact]
    public async Task TheCsirtHandlesReplayedBruteForce_OpdsSeeOnlyTheirOwn_AndHostileLogsRenderInert()
    {
        if (_browser is null)
        {
            return;
        }

        var log = await File.ReadAllLinesAsync(Path.Combine(RepositoryPaths.Shared, "data", "logs", "loghub_OpenSSH_2k.log"));
        await ReplayAsync("DINKES", log);
        await ReplayAsync("BAPPEDA", Enumerable.Range(0, 8).Select(i =>
            $"Nov 24 08:00:0{i} web01 sshd[4{i}1]: Failed password for invalid user \"><img/src=x/onerror=window.__xss=1> from <script>window.__xss=2</script> port 5{i}022 ssh2"));
        var incidents = _factory.Services.GetRequiredService<IncidentService>();
        var dinkes = await incidents.ListAsync(new IncidentFilter { Opd = "DINKES", PageSize = 200 });
        Assert.True(dinkes.Total >= 3, $"the replayed log made {dinkes.Total} DINKES incidents");
        Assert.All(dinkes.Items, i => Assert.Equal(IncidentStatus.Baru, i.Status));
        var target = dinkes.Items.First(i => i.RuleId == 100122);
        var bappeda = (await incidents.ListAsync(new IncidentFilter { Opd = "BAPPEDA" })).Items.Single();

        // The analyst: sign in through the provider, see the queue, handle one incident.
        await using (var context = await _browser.NewContextAsync(new BrowserNewContextOptions { Locale = "id-ID" }))
        {
            var page = await SignInAsync(context, AnalystNip, "/soc/insiden");
            var rows = await page.Locator("#daftar-insiden tbody tr").CountAsync();
            Assert.True(rows >= 3, $"the queue shows {rows} incidents");
            Assert.Contains("SSH: brute force dari", await page.InnerTextAsync("#daftar-insiden"), StringComparison.Ordinal);

            await page.ClickAsync($"a[href='/soc/insiden/{target.Id}']");
            await ArriveAsync(page, url => url.EndsWith($"/soc/insiden/{target.Id}", StringComparison.Ordinal));
            Assert.Equal("Baru", await page.InnerTextAsync("#status-insiden"));
            await SubmitAsync(page, "#form-akui button");
            Assert.Equal("Triase", await page.InnerTextAsync("#status-insiden"));
            await page.FillAsync("#form-tugaskan input[name=Penanggung]", AnalystNip);
            await SubmitAsync(page, "#form-tugaskan button");
            Assert.Equal(AnalystNip, await page.InnerTextAsync("#penanggung-insiden"));
            await page.FillAsync("#form-catatan textarea", "Alamat penyerang diblokir di firewall perimeter.");
            await SubmitAsync(page, "#form-catatan button");
            Assert.Contains("Alamat penyerang diblokir di firewall perimeter.", await page.InnerTextAsync("#riwayat"), StringComparison.Ordinal);
            await page.SelectOptionAsync("#form-status select[name=StatusBaru]", "Selesai");
            await page.FillAsync("#form-status input[name=Alasan]", "ditangani");
            await SubmitAsync(page, "#form-status button");
            Assert.Equal("Selesai", await page.InnerTextAsync("#status-insiden"));
            Assert.Contains("href=\"/soc/runbook/insiden-brute-force\"", await page.ContentAsync(), StringComparison.Ordinal);
        }

        var closed = (await incidents.GetAsync(target.Id))!.Incident;
        Assert.Equal((IncidentStatus.Selesai, AnalystNip), (closed.Status, closed.Assignee));

        // An OPD's admin: their own incident renders the hostile log content as text; another OPD's is refused.
        await using (var context = await _browser.NewContextAsync(new BrowserNewContextOptions { Locale = "id-ID" }))
        {
            var page = await SignInAsync(context, BappedaAdminNip, $"/soc/insiden/{bappeda.Id}");
            Assert.Contains("<script>window.__xss=2</script>", await page.InnerTextAsync("#observable"), StringComparison.Ordinal);
            Assert.Contains("\"><img/src=x/onerror=window.__xss=1>", await page.InnerTextAsync("#observable"), StringComparison.Ordinal);
            Assert.Equal(0, await page.Locator("img").CountAsync());
            Assert.Equal("none", await page.EvaluateAsync<string>("() => String(window.__xss ?? 'none')"));
            Assert.Equal(1, await page.Locator("#hanya-baca").CountAsync());

            var foreign = await GoAsync(page, $"{_base}/soc/insiden/{target.Id}");
            Assert.Equal(403, foreign!.Status);
            Assert.DoesNotContain("SSH: brute force", await page.ContentAsync(), StringComparison.Ordinal);
        }

        using var api = await SocConsoleAccounts.ApiClientAsync(_factory, BappedaAdminNip, ConsoleSecret);
        using var refused = await api.GetAsync(new Uri($"/api/soc/incidents/{target.Id}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
    }
}
