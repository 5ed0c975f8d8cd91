using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Spbe.Security.Host.Identity;
using Spbe.Security.Soc.Incidents;
using Spbe.Security.Soc.Ingest;
using Spbe.Security.Testing;

namespace Spbe.Security.Host.Soc;

/// <summary>
/// Incidents from the live pipeline to the console: SSH brute force raises one incident per OPD and source, CSIRT analysts
/// see and handle every OPD's, an OPD's admin only reads their own (403 for another's, by page and by API), log content
/// renders inert, every form needs its anti-forgery token, and a change on a stale version is refused.
/// </summary>
[Trait("Category", "Database")]
public sealed partial class IncidentConsoleTests : IAsyncLifetime
{
    private const string AnalystNip = SocConsoleAccounts.AnalystNip;
    private const string BappedaAdminNip = SocConsoleAccounts.BappedaAdminNip;
    private const string ConsoleSecret = "rahasia-konsol-csirt-yang-panjang-sekali";
    private const string ScriptIp = "<script>alert(1)</script>";
    private const string ImgUser = "\"><img/src=x/onerror=alert(2)>";
    private TestDatabase _database = null!;
    private SpbeHostFactory _factory = null!;
    private readonly TempDirectory _temp = new();
    private SmtpSink _smtp = null!;
    private WebhookReceiver _webhook = null!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync();
        _smtp = await SmtpSink.StartAsync(_temp.Path);
        _webhook = new WebhookReceiver();
        _factory = new SpbeHostFactory(_database,
            new("Soc:Notify:WebhookUrl", _webhook.Url), new("Soc:Notify:WebhookSecret", WebhookSecret), new("Soc:Notify:ConsoleUrl", "https://sso.kota.example"),
            new("Soc:Notify:SmtpHost", "127.0.0.1"), new("Soc:Notify:SmtpPort", _smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new("Soc:Notify:SmtpSecurity", "None"), new("Soc:Notify:MailFrom", "csirt@kota.example"), new("Soc:Notify:MailTo", "piket@kota.example, kepala@kota.example"));
        await SocConsoleAccounts.SeedAsync(_factory, ConsoleSecret);
    }

    public async Task DisposeAsync()
    {
        await _factory.DisposeAsync();
        await _database.DisposeAsync();
        _webhook.Dispose();
        _smtp.Dispose();
        _temp.Dispose();
    }

    private async Task BruteForceAsync(string opd, string ip, string user)
    {
        var now = TimeProvider.System.GetUtcNow();
        var records = Enumerable.Range(0, 8).Select(i => new IngestRecord(
            now.AddSeconds(i).ToUnixTimeMilliseconds(), IngestTransport.Tcp, IngestFlags.None, "127.0.0.1", new SourceIdentity("web-" + opd.ToLowerInvariant(), opd),
            Encoding.UTF8.GetBytes($"<38>Nov 24 08:00:0{i} web01 sshd[4{i}1]: Failed password for invalid user {user} from {ip} port 5{i}022 ssh2"))).ToList();
        var pipeline = _factory.Services.GetRequiredService<IngestPipeline>();
        await pipeline.SubmitAsync(records, durable: true);
        await pipeline.DrainAsync();
        await _factory.Services.GetRequiredService<IncidentIntake>().DrainAsync();
    }

    private Task<HttpClient> ApiClientAsync(string nip) => SocConsoleAccounts.ApiClientAsync(_factory, nip, ConsoleSecret);

    private static async Task<string> CodeOf(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString()!;

    private static async Task<JsonElement> PostAsync(HttpClient client, string path, object body, HttpStatusCode expected)
    {
        using var response = await client.PostAsJsonAsync(path, body);
        Assert.Equal(expected, response.StatusCode);
        return response.StatusCode == HttpStatusCode.NoContent ? default : await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();

    [Fact]
    public async Task BruteForceIncidents_AreHandledByTheCsirt_AndEachOpdSeesOnlyItsOwn_Inert()
    {
        await BruteForceAsync("DINKES", "203.0.113.9", "root");
        await BruteForceAsync("BAPPEDA", ScriptIp, ImgUser);

        using var analyst = await ApiClientAsync(AnalystNip);
        var all = await analyst.GetFromJsonAsync<JsonElement>("/api/soc/incidents?open=true");
        Assert.Equal(2, all.GetProperty("total").GetInt64());
        var incidents = all.GetProperty("incidents").EnumerateArray().ToDictionary(i => i.GetProperty("opd").GetString()!, i => i);
        var dinkes = incidents["DINKES"];
        var bappeda = incidents["BAPPEDA"];
        Assert.Equal(100122, dinkes.GetProperty("rule").GetInt32());
        Assert.Equal("Tinggi", dinkes.GetProperty("severity").GetString());
        Assert.Equal("Baru", dinkes.GetProperty("status").GetString());
        Assert.Equal(["203.0.113.9"], dinkes.GetProperty("observables").GetProperty("ips").EnumerateArray().Select(e => e.GetString()));
        var dinkesId = dinkes.GetProperty("id").GetInt64();
        var bappedaId = bappeda.GetProperty("id").GetInt64();

        // The analyst acknowledges, assigns, notes and closes; a change on a stale version is refused.
        var acked = await PostAsync(analyst, $"/api/soc/incidents/{dinkesId}/acknowledge", new { version = 0 }, HttpStatusCode.OK);
        Assert.Equal(("Triase", 1), (acked.GetProperty("status").GetString(), acked.GetProperty("version").GetInt32()));
        var stale = await PostAsync(analyst, $"/api/soc/incidents/{dinkesId}/assign", new { version = 0, assignee = AnalystNip }, HttpStatusCode.Conflict);
        Assert.Equal("SOC-0602", stale.GetProperty("code").GetString());
        await PostAsync(analyst, $"/api/soc/incidents/{dinkesId}/assign", new { version = 1, assignee = AnalystNip }, HttpStatusCode.OK);
        await PostAsync(analyst, $"/api/soc/incidents/{dinkesId}/notes", new { text = "Alamat diblokir di firewall." }, HttpStatusCode.NoContent);
        var back = await PostAsync(analyst, $"/api/soc/incidents/{dinkesId}/status", new { version = 2, status = "Baru" }, HttpStatusCode.BadRequest);
        Assert.Equal("SOC-0603", back.GetProperty("code").GetString());
        var closed = await PostAsync(analyst, $"/api/soc/incidents/{dinkesId}/status", new { version = 2, status = "Selesai", reason = "ditangani" }, HttpStatusCode.OK);
        Assert.Equal("Selesai", closed.GetProperty("status").GetString());
        var detail = await analyst.GetFromJsonAsync<JsonElement>($"/api/soc/incidents/{dinkesId}");
        Assert.Equal(AnalystNip, detail.GetProperty("incident").GetProperty("assignee").GetString());
        Assert.Contains(detail.GetProperty("timeline").EnumerateArray(), e => e.GetProperty("text").GetString() == "Alamat diblokir di firewall.");
        Assert.True(detail.GetProperty("alerts").GetArrayLength() >= 1);

        // An OPD's admin reads only their own OPD's incidents, and changes none that is not assigned to them.
        using var opdAdmin = await ApiClientAsync(BappedaAdminNip);
        var own = await opdAdmin.GetFromJsonAsync<JsonElement>("/api/soc/incidents");
        Assert.Equal([bappedaId], own.GetProperty("incidents").EnumerateArray().Select(i => i.GetProperty("id").GetInt64()));
        using (var foreign = await opdAdmin.GetAsync(new Uri($"/api/soc/incidents/{dinkesId}", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.Forbidden, foreign.StatusCode);
            Assert.Equal("SOC-0604", await CodeOf(foreign));
        }

        using (var foreignList = await opdAdmin.GetAsync(new Uri("/api/soc/incidents?opd=DINKES", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.Forbidden, foreignList.StatusCode);
        }

        Assert.Equal("SOC-0604", (await PostAsync(opdAdmin, $"/api/soc/incidents/{bappedaId}/acknowledge", new { version = 0 }, HttpStatusCode.Forbidden)).GetProperty("code").GetString());

        // The console: the same rules by URL, log content inert, forms need their anti-forgery token.
        var browser = new SsoTestKit(_factory, BappedaAdminNip);
        await browser.LoginAsync();
        using (var foreignPage = await browser.Browser.GetAsync(new Uri($"/soc/insiden/{dinkesId}", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.Forbidden, foreignPage.StatusCode);
        }

        var page = await browser.Browser.GetStringAsync(new Uri($"/soc/insiden/{bappedaId}", UriKind.Relative));
        Assert.DoesNotContain("<script>alert", page, StringComparison.Ordinal);
        Assert.DoesNotContain("<img/src=x", page, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", page, StringComparison.Ordinal);
        Assert.Contains("&lt;img/src=x/onerror=alert(2)&gt;", page, StringComparison.Ordinal);
        Assert.Contains("Anda hanya dapat membaca insiden ini.", page, StringComparison.Ordinal);
        var queue = await browser.Browser.GetStringAsync(new Uri("/soc/insiden", UriKind.Relative));
        Assert.Contains($"/soc/insiden/{bappedaId}", queue, StringComparison.Ordinal);
        Assert.DoesNotContain($"/soc/insiden/{dinkesId}\"", queue, StringComparison.Ordinal);

        var console = new SsoTestKit(_factory, AnalystNip);
        await console.LoginAsync();
        var analystPage = await console.Browser.GetStringAsync(new Uri($"/soc/insiden/{bappedaId}", UriKind.Relative));
        var token = AntiforgeryToken().Match(analystPage).Groups[1].Value;
        Assert.NotEmpty(token);
        using (var forged = await console.Browser.PostAsync(new Uri($"/soc/insiden/{bappedaId}?handler=Catatan", UriKind.Relative),
            new FormUrlEncodedContent([new("Catatan", "tanpa token")])))
        {
            Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        }

        using (var noted = await console.Browser.PostAsync(new Uri($"/soc/insiden/{bappedaId}?handler=Catatan", UriKind.Relative),
            new FormUrlEncodedContent([new("Catatan", "<b>dicek</b> oleh CSIRT"), new("__RequestVerificationToken", token)])))
        {
            Assert.Equal(HttpStatusCode.OK, noted.StatusCode);
            var html = await noted.Content.ReadAsStringAsync();
            Assert.Contains("&lt;b&gt;dicek&lt;/b&gt; oleh CSIRT", html, StringComparison.Ordinal);
        }

        using (var acknowledged = await console.Browser.PostAsync(new Uri($"/soc/insiden/{bappedaId}?handler=Akui", UriKind.Relative),
            new FormUrlEncodedContent([new("Versi", "0"), new("__RequestVerificationToken", token)])))
        {
            Assert.Equal(HttpStatusCode.OK, acknowledged.StatusCode);
            Assert.Contains("id=\"status-insiden\">Triase<", await acknowledged.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using (var staleForm = await console.Browser.PostAsync(new Uri($"/soc/insiden/{bappedaId}?handler=Status", UriKind.Relative),
            new FormUrlEncodedContent([new("Versi", "0"), new("StatusBaru", "Penanganan"), new("__RequestVerificationToken", token)])))
        {
            Assert.Equal(HttpStatusCode.Conflict, staleForm.StatusCode);
            Assert.Contains("SOC-0602", await staleForm.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    }
}
