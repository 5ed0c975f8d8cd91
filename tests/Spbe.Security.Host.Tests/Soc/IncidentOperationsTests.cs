using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Spbe.Security.Host.Identity;
using Spbe.Security.Identity.Accounts;
using Spbe.Security.Soc.Incidents.Notifications;
using Spbe.Security.Soc.Incidents.Persistence;

namespace Spbe.Security.Host.Soc;

/// <summary>
/// What surrounds handling: SLA breaches (recorded, emitted as events, announced by signed webhook and by mail through a
/// real SMTP server), tasks and evidence by API, the dashboard, event search and runbooks in the console.
/// </summary>
public sealed partial class IncidentConsoleTests
{
    private const string WebhookSecret = "kunci-webhook-csirt-uji-yang-panjang-0123456789";
    private const string NoRoleNip = "199001012015011001";

    [Fact]
    public async Task HighIncidentsAndSlaBreaches_AreAnnounced_SignedAndByMail_AndEmittedAsEvents()
    {
        await BruteForceAsync("DINKES", "203.0.113.50", "root");
        var id = (await _webhook.WaitAsync(1)).Single().Json.RootElement.GetProperty("incident").GetProperty("id").GetInt64();

        // Note: the incident is made two hours old, past Tinggi's one hour to acknowledge.
        await using (var scope = _factory.Services.CreateAsyncScope())
        {
            await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<IncidentStoreContext>>().CreateDbContextAsync();
            var twoHours = (long)TimeSpan.FromHours(2).TotalMilliseconds;
            await db.Set<IncidentRecord>().Where(i => i.Id == id).ExecuteUpdateAsync(s => s.SetProperty(i => i.CreatedAt, i => i.CreatedAt - twoHours));
        }

        var monitor = _factory.Services.GetRequiredService<SlaMonitor>();
        var breaches = await monitor.CheckAsync(CancellationToken.None);
        Assert.Equal([(id, Spbe.Security.Soc.Incidents.SlaKind.Acknowledge)], breaches.Select(b => (b.IncidentId, b.Kind)));
        Assert.Empty(await monitor.CheckAsync(CancellationToken.None));

        var hooks = await _webhook.WaitAsync(2);
        Assert.Equal([IncidentNotifier.IncidentCreated, IncidentNotifier.SlaBreached], hooks.Select(h => h.Json.RootElement.GetProperty("type").GetString()));
        foreach (var hook in hooks)
        {
            Assert.Equal(IncidentNotifier.Sign(WebhookSecret, hook.Timestamp, hook.Body), hook.Signature);
        }

        Assert.Equal($"https://sso.kota.example/soc/insiden/{id}", hooks[1].Json.RootElement.GetProperty("incident").GetProperty("url").GetString());
        var mails = await _smtp.MessagesAsync(2, TimeSpan.FromSeconds(30));
        Assert.Equal(2, mails.Count);
        Assert.Contains(mails, m => m.Contains($"Insiden baru #{id}", StringComparison.Ordinal) && m.Contains("piket@kota.example", StringComparison.Ordinal));
        Assert.Contains(mails, m => m.Contains($"SLA terlampaui #{id}", StringComparison.Ordinal));
        Assert.DoesNotContain(mails, m => m.Contains(WebhookSecret, StringComparison.Ordinal));

        var kit = new SsoTestKit(_factory, AnalystNip);
        Assert.Contains(kit.SecurityEvents(), e => SsoTestKit.Field(e, "event", "action") == SlaMonitor.BreachAction
            && SsoTestKit.Field(e, "event", "reason").Contains($"incident {id} acknowledge", StringComparison.Ordinal));

        using var analyst = await ApiClientAsync(AnalystNip);
        var detail = await analyst.GetFromJsonAsync<JsonElement>($"/api/soc/incidents/{id}");
        Assert.True(detail.GetProperty("incident").GetProperty("sla").GetProperty("acknowledge_breached").GetBoolean());
        Assert.Contains(detail.GetProperty("timeline").EnumerateArray(), e => e.GetProperty("kind").GetString() == IncidentEntryKinds.Sla);
        var sla = await analyst.GetFromJsonAsync<JsonElement>("/api/soc/sla");
        var dinkes = sla.GetProperty("rows").EnumerateArray().Single(r => r.TryGetProperty("opd", out var opd) && opd.GetString() == "DINKES");
        Assert.Equal((1, 1, 0.0), (dinkes.GetProperty("opened").GetInt32(), dinkes.GetProperty("acknowledge_breaches").GetInt32(), dinkes.GetProperty("compliance").GetDouble()));
        using (var badRange = await analyst.GetAsync(new Uri("/api/soc/sla?from=2026-13", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.BadRequest, badRange.StatusCode);
        }

        var console = new SsoTestKit(_factory, AnalystNip);
        await console.LoginAsync();
        var queue = await console.Browser.GetStringAsync(new Uri("/soc/insiden", UriKind.Relative));
        Assert.Contains("sla-terlampaui", queue, StringComparison.Ordinal);
        Assert.Contains("terlampaui (tanggap)", queue, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TasksAndEvidence_ByApi_AreDownloadedAsBytesOnly_AndNotByAnotherOpd()
    {
        await BruteForceAsync("DINKES", "203.0.113.60", "root");
        using var analyst = await ApiClientAsync(AnalystNip);
        var id = (await analyst.GetFromJsonAsync<JsonElement>("/api/soc/incidents")).GetProperty("incidents")[0].GetProperty("id").GetInt64();
        await PostAsync(analyst, $"/api/soc/incidents/{id}/tasks", new { title = "Reset kata sandi root di web01" }, HttpStatusCode.NoContent);
        var taskId = (await analyst.GetFromJsonAsync<JsonElement>($"/api/soc/incidents/{id}")).GetProperty("tasks")[0].GetProperty("id").GetInt64();
        await PostAsync(analyst, $"/api/soc/incidents/{id}/tasks/{taskId}/done", new { done = true }, HttpStatusCode.NoContent);
        Assert.Equal("SOC-0603", (await PostAsync(analyst, $"/api/soc/incidents/{id}/tasks", new { title = "" }, HttpStatusCode.BadRequest)).GetProperty("code").GetString());

        var evidence = Encoding.UTF8.GetBytes("<html><script>alert('bukti')</script></html>");
        using var form = new MultipartFormDataContent { { new ByteArrayContent(evidence), "file", "halaman-deface.html" } };
        using var uploaded = await analyst.PostAsync(new Uri($"/api/soc/incidents/{id}/attachments", UriKind.Relative), form);
        Assert.Equal(HttpStatusCode.Created, uploaded.StatusCode);
        var sha = (await uploaded.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("sha256").GetString()!;
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(evidence)), sha);

        using (var download = await analyst.GetAsync(new Uri($"/api/soc/incidents/{id}/attachments/{sha}", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, download.StatusCode);
            Assert.Equal("application/octet-stream", download.Content.Headers.ContentType!.MediaType);
            Assert.Equal("attachment", download.Content.Headers.ContentDisposition!.DispositionType);
            Assert.Equal("nosniff", download.Headers.GetValues("X-Content-Type-Options").Single());
            Assert.Equal(evidence, await download.Content.ReadAsByteArrayAsync());
        }

        var console = new SsoTestKit(_factory, AnalystNip);
        await console.LoginAsync();
        var page = await console.Browser.GetStringAsync(new Uri($"/soc/insiden/{id}", UriKind.Relative));
        Assert.Contains($"/soc/insiden/{id}?handler=Lampiran&amp;sha={sha}", page, StringComparison.Ordinal);
        using (var fromConsole = await console.Browser.GetAsync(new Uri($"/soc/insiden/{id}?handler=Lampiran&sha={sha}", UriKind.Relative)))
        {
            Assert.Equal("application/octet-stream", fromConsole.Content.Headers.ContentType!.MediaType);
            Assert.Equal(evidence, await fromConsole.Content.ReadAsByteArrayAsync());
        }

        var detail = await analyst.GetFromJsonAsync<JsonElement>($"/api/soc/incidents/{id}");
        Assert.True(detail.GetProperty("tasks")[0].GetProperty("done").GetBoolean());
        Assert.Equal("halaman-deface.html", detail.GetProperty("attachments")[0].GetProperty("name").GetString());

        using var bappeda = await ApiClientAsync(BappedaAdminNip);
        using (var foreign = await bappeda.GetAsync(new Uri($"/api/soc/incidents/{id}/attachments/{sha}", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.Forbidden, foreign.StatusCode);
        }

        using var notAForm = await analyst.PostAsJsonAsync($"/api/soc/incidents/{id}/attachments", new { file = "x" });
        Assert.Equal(HttpStatusCode.BadRequest, notAForm.StatusCode);
        Assert.Equal("SOC-0603", await CodeOf(notAForm));
        Assert.Equal("SOC-0604", (await PostAsync(bappeda, $"/api/soc/incidents/{id}/tasks", new { title = "x" }, HttpStatusCode.Forbidden)).GetProperty("code").GetString());
    }

    [Fact]
    public async Task Dashboard_EventSearch_AndRunbooks_FollowTheViewersScope_AndRenderLogContentInert()
    {
        await BruteForceAsync("DINKES", "203.0.113.70", "root");
        await BruteForceAsync("BAPPEDA", ScriptIp, ImgUser);
        await using (var scope = _factory.Services.CreateAsyncScope())
        {
            var accounts = scope.ServiceProvider.GetRequiredService<AccountService>();
            Assert.True((await accounts.CreateAsync(new NewAccount(NoRoleNip, "ASN biasa", "DINKES", null, null, []), SsoTestKit.Password)).Succeeded);
        }

        var analyst = new SsoTestKit(_factory, AnalystNip);
        await analyst.LoginAsync();
        var dashboard = await analyst.Browser.GetStringAsync(new Uri("/soc", UriKind.Relative));
        Assert.Contains("id=\"grafik-peringatan\"", dashboard, StringComparison.Ordinal);
        Assert.Contains("id=\"grafik-insiden\"", dashboard, StringComparison.Ordinal);
        Assert.Contains("id=\"grafik-sla\"", dashboard, StringComparison.Ordinal);
        Assert.Contains("DINKES Tinggi", dashboard, StringComparison.Ordinal);
        Assert.Contains("BAPPEDA Tinggi", dashboard, StringComparison.Ordinal);

        var search = await analyst.Browser.GetStringAsync(new Uri("/soc/kejadian?q=Failed&min_level=10", UriKind.Relative));
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", search, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>alert", search, StringComparison.Ordinal);
        Assert.DoesNotContain("<img/src=x", search, StringComparison.Ordinal);
        Assert.Contains("203.0.113.70", search, StringComparison.Ordinal);
        var invalid = await analyst.Browser.GetStringAsync(new Uri("/soc/kejadian?min_level=banyak", UriKind.Relative));
        Assert.Contains("SOC-0", invalid, StringComparison.Ordinal);

        var opdAdmin = new SsoTestKit(_factory, BappedaAdminNip);
        await opdAdmin.LoginAsync();
        var own = await opdAdmin.Browser.GetStringAsync(new Uri("/soc/kejadian?q=Failed", UriKind.Relative));
        Assert.DoesNotContain("203.0.113.70", own, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;", own, StringComparison.Ordinal);
        using (var foreign = await opdAdmin.Browser.GetAsync(new Uri("/soc/kejadian?opd=DINKES", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.Forbidden, foreign.StatusCode);
        }

        Assert.DoesNotContain("DINKES Tinggi", await opdAdmin.Browser.GetStringAsync(new Uri("/soc", UriKind.Relative)), StringComparison.Ordinal);

        // Runbooks: the incident links the runbook for its type; the page renders its Markdown.
        using var api = await ApiClientAsync(AnalystNip);
        var id = (await api.GetFromJsonAsync<JsonElement>("/api/soc/incidents?opd=DINKES")).GetProperty("incidents")[0].GetProperty("id").GetInt64();
        var incident = await analyst.Browser.GetStringAsync(new Uri($"/soc/insiden/{id}", UriKind.Relative));
        Assert.Contains("href=\"/soc/runbook/insiden-brute-force\"", incident, StringComparison.Ordinal);
        var runbook = await analyst.Browser.GetStringAsync(new Uri("/soc/runbook/insiden-brute-force", UriKind.Relative));
        Assert.Contains("<h1", runbook, StringComparison.Ordinal);
        Assert.Contains("<table>", runbook, StringComparison.Ordinal);
        Assert.Contains("100122", runbook, StringComparison.Ordinal);
        Assert.Contains("/soc/runbook/insiden-password-spraying", await analyst.Browser.GetStringAsync(new Uri("/soc/runbook", UriKind.Relative)), StringComparison.Ordinal);
        using (var missing = await analyst.Browser.GetAsync(new Uri("/soc/runbook/..%2Fpolicies", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        }

        // Deny by default: a signed-in civil servant without a SOC role gets none of these pages.
        var plain = new SsoTestKit(_factory, NoRoleNip);
        await plain.LoginAsync();
        foreach (var path in new[] { "/soc", "/soc/kejadian", "/soc/runbook", "/soc/insiden" })
        {
            using var refused = await plain.Browser.GetAsync(new Uri(path, UriKind.Relative));
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        }
    }

    [Fact]
    public async Task TheSocApi_IsDescribedByItsOpenApiDocument_EveryRouteWithItsSchemas()
    {
        using var anonymous = _factory.CreateHttpsClient();
        using var document = JsonDocument.Parse(await anonymous.GetStringAsync(new Uri("/openapi/soc.json", UriKind.Relative)));
        var root = document.RootElement;
        Assert.StartsWith("3.", root.GetProperty("openapi").GetString(), StringComparison.Ordinal);
        var paths = root.GetProperty("paths").EnumerateObject().ToDictionary(p => p.Name, p => p.Value);

        // Every SOC route the host maps is in the document, with its methods.
        var routes = _factory.Services.GetRequiredService<Microsoft.AspNetCore.Routing.EndpointDataSource>().Endpoints
            .OfType<Microsoft.AspNetCore.Routing.RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api/soc/", StringComparison.Ordinal) == true)
            .ToList();
        Assert.True(routes.Count >= 17, $"{routes.Count} SOC routes");
        foreach (var route in routes)
        {
            var path = System.Text.RegularExpressions.Regex.Replace(route.RoutePattern.RawText!, ":[a-z]+}", "}").TrimEnd('/');
            Assert.True(paths.TryGetValue(path, out var item), $"{path} is not in the OpenAPI document");
            foreach (var method in route.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()!.HttpMethods)
            {
                Assert.True(item.TryGetProperty(method.ToLowerInvariant(), out var operation), $"{method} {path} is not in the OpenAPI document");
                Assert.True(operation.TryGetProperty("summary", out _), $"{method} {path} has no summary");
            }
        }

        var schemas = root.GetProperty("components").GetProperty("schemas");
        var summary = schemas.GetProperty("IncidentSummaryDto").GetProperty("properties");
        Assert.True(summary.TryGetProperty("alert_count", out _));
        Assert.True(summary.TryGetProperty("max_level", out _));
        Assert.Equal("bearer", root.GetProperty("components").GetProperty("securitySchemes").GetProperty("bearer").GetProperty("scheme").GetString());
        var acknowledge = paths["/api/soc/incidents/{id}/acknowledge"].GetProperty("post");
        Assert.True(acknowledge.GetProperty("responses").TryGetProperty("409", out _));
        Assert.True(acknowledge.GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("schema")
            .GetProperty("properties").TryGetProperty("true_positive", out _));
        Assert.True(paths["/api/soc/incidents/{id}/attachments"].GetProperty("post").GetProperty("requestBody").GetProperty("content").TryGetProperty("multipart/form-data", out _));

        // The names the document promises are the names the API answers with.
        await BruteForceAsync("DINKES", "203.0.113.80", "root");
        using var analyst = await ApiClientAsync(AnalystNip);
        var listed = (await analyst.GetFromJsonAsync<JsonElement>("/api/soc/incidents")).GetProperty("incidents")[0];
        foreach (var property in summary.EnumerateObject().Where(p => p.Name is not ("acknowledged_at" or "closed_at" or "merged_into" or "assignee")))
        {
            Assert.True(listed.TryGetProperty(property.Name, out _), $"the API's incident has no '{property.Name}'");
        }
    }

    [Fact]
    public async Task ReportsAndTheMayorsNote_AreSignedThroughTte_AndClosedIncidentsExportForAudit()
    {
        const string PejabatNip = "197001012000011001";
        const string Passphrase = "frasa-sandi-kepala-diskominfo-2026";
        await using (var scope = _factory.Services.CreateAsyncScope())
        {
            var accounts = scope.ServiceProvider.GetRequiredService<AccountService>();
            Assert.True((await accounts.CreateAsync(new NewAccount(PejabatNip, "Budi Santoso", "DISKOMINFO", "Kepala Dinas", null, [SpbeRoles.Signer]), SsoTestKit.Password)).Succeeded);
        }

        await _factory.Services.GetRequiredService<Spbe.Security.Pki.Authority.CertificateAuthority>().InitializeAsync("test");
        var registration = _factory.Services.GetRequiredService<Spbe.Security.Pki.Authority.RegistrationAuthority>();
        var requested = await registration.RequestAsync("pejabat-signing", new Spbe.Security.Pki.Authority.SubjectInfo("Budi Santoso", PejabatNip, "DISKOMINFO", "Kepala Dinas"), null, Passphrase, PejabatNip);
        Assert.True((await registration.ApproveAsync(requested.Value!.Id, "petugas-pki")).Success);

        await BruteForceAsync("DINKES", "203.0.113.90", "root");
        using var analyst = await ApiClientAsync(AnalystNip);
        var id = (await analyst.GetFromJsonAsync<JsonElement>("/api/soc/incidents?opd=DINKES")).GetProperty("incidents")[0].GetProperty("id").GetInt64();
        await PostAsync(analyst, $"/api/soc/incidents/{id}/notes", new { text = "Alamat 203.0.113.90 diblokir." }, HttpStatusCode.NoContent);

        using (var report = await analyst.GetAsync(new Uri($"/api/soc/incidents/{id}/report?kind=laporan&signer={PejabatNip}", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, report.StatusCode);
            Assert.Equal("application/pdf", report.Content.Headers.ContentType!.MediaType);
            Assert.StartsWith("%PDF-1.7", Encoding.Latin1.GetString(await report.Content.ReadAsByteArrayAsync()), StringComparison.Ordinal);
        }

        using (var badKind = await analyst.GetAsync(new Uri($"/api/soc/incidents/{id}/report?kind=surat-cinta", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.BadRequest, badKind.StatusCode);
            Assert.Equal("SOC-0603", await CodeOf(badKind));
        }

        using var bappeda = await ApiClientAsync(BappedaAdminNip);
        using (var foreign = await bappeda.GetAsync(new Uri($"/api/soc/incidents/{id}/report", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.Forbidden, foreign.StatusCode);
        }

        // The note to the mayor goes to the naskah workflow; only the pejabat's passphrase signs it, on the anchor.
        var noCertificate = await PostAsync(analyst, $"/api/soc/incidents/{id}/report/sign", new { kind = "nota", signer = BappedaAdminNip }, HttpStatusCode.BadRequest);
        Assert.Contains("TTE-", noCertificate.GetProperty("title").GetString(), StringComparison.Ordinal);
        var submitted = await PostAsync(analyst, $"/api/soc/incidents/{id}/report/sign", new { kind = "nota", signer = PejabatNip }, HttpStatusCode.Created);
        var naskahId = Guid.ParseExact(submitted.GetProperty("naskah").GetString()!, "N");
        var workflow = _factory.Services.GetRequiredService<Spbe.Security.Pki.Signing.Naskah.NaskahWorkflow>();
        Assert.False((await workflow.SignAsync(naskahId, PejabatNip, "frasa-yang-salah-sekali")).Success);
        var signed = await workflow.SignAsync(naskahId, PejabatNip, Passphrase);
        Assert.True(signed.Success, signed.Error);
        var pdf = (await workflow.ContentAsync(naskahId, PejabatNip)).Value!;
        var verdict = await _factory.Services.GetRequiredService<Spbe.Security.Pki.Signing.DocumentVerifier>().VerifyPdfAsync(pdf);
        Assert.Equal(Spbe.Security.Pki.Signing.Indications.Passed, verdict.Indication);
        Assert.Contains(verdict.Signatures, s => s.Kind == "signature");
        var timeline = (await analyst.GetFromJsonAsync<JsonElement>($"/api/soc/incidents/{id}")).GetProperty("timeline");
        Assert.Contains(timeline.EnumerateArray(), e => e.GetProperty("kind").GetString() == IncidentEntryKinds.Report
            && e.GetProperty("text").GetString()!.Contains(naskahId.ToString("N"), StringComparison.Ordinal));

        // Closed incidents for audit: by API, and by the dashboard's download, each within the viewer's OPDs.
        await PostAsync(analyst, $"/api/soc/incidents/{id}/status", new { version = 0, status = "Selesai" }, HttpStatusCode.OK);
        var csv = await analyst.GetStringAsync(new Uri("/api/soc/incidents/export?format=csv", UriKind.Relative));
        Assert.StartsWith("id,judul,opd", csv, StringComparison.Ordinal);
        Assert.Contains($"{id},", csv, StringComparison.Ordinal);
        Assert.DoesNotContain($"{id},", await bappeda.GetStringAsync(new Uri("/api/soc/incidents/export?format=ndjson", UriKind.Relative)), StringComparison.Ordinal);
        using (var badRange = await analyst.GetAsync(new Uri("/api/soc/incidents/export?from=2026-12-01&to=2026-11-01", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.BadRequest, badRange.StatusCode);
        }

        var console = new SsoTestKit(_factory, AnalystNip);
        await console.LoginAsync();
        var ndjson = await console.Browser.GetStringAsync(new Uri("/soc?handler=Ekspor&format=ndjson", UriKind.Relative));
        Assert.Contains("Alamat 203.0.113.90 diblokir.", ndjson, StringComparison.Ordinal);
        using var page = await console.Browser.GetAsync(new Uri($"/soc/insiden/{id}?handler=Laporan&jenis=nota", UriKind.Relative));
        Assert.Equal("application/pdf", page.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task TheConsole_EditsJudgesMergesAndSplits()
    {
        await BruteForceAsync("DINKES", "203.0.113.101", "root");
        await BruteForceAsync("DINKES", "203.0.113.102", "root");
        await BruteForceAsync("DINKES", "203.0.113.102", "admin");
        var service = _factory.Services.GetRequiredService<Spbe.Security.Soc.Incidents.IncidentService>();
        var listed = (await service.ListAsync(new Spbe.Security.Soc.Incidents.IncidentFilter { Opd = "DINKES" })).Items;
        var target = listed.Single(x => x.SourceIps == "203.0.113.101");
        var source = listed.Single(x => x.SourceIps == "203.0.113.102");
        var console = new SsoTestKit(_factory, AnalystNip);
        await console.LoginAsync();
        var url = $"/soc/insiden/{target.Id}";

        async Task<string> PostAsync(string handler, params (string Key, string Value)[] fields)
        {
            var page = await console.Browser.GetStringAsync(new Uri(url, UriKind.Relative));
            var version = System.Text.RegularExpressions.Regex.Match(page, "name=\"Versi\" value=\"(\\d+)\"").Groups[1].Value;
            using var response = await console.SubmitFormAsync($"{url}?handler={handler}", page,
                new Dictionary<string, string>(fields.Select(f => KeyValuePair.Create(f.Key, f.Value)).Append(KeyValuePair.Create("Versi", version))));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return await response.Content.ReadAsStringAsync();
        }

        Assert.Contains("Insiden diubah.", await PostAsync("Ubah", ("Judul", "Brute force SSH ke web01"), ("TingkatBaru", "Kritis")), StringComparison.Ordinal);
        var sequence = (await service.GetAsync(target.Id))!.Alerts[0].Sequence;
        Assert.Contains("Penilaian disimpan.", await PostAsync("Penilaian", ("Urutan", sequence.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("Benar", "false")), StringComparison.Ordinal);
        Assert.Contains("Insiden digabungkan.", await PostAsync("Gabung", ("Sumber", $"#{source.Id}")), StringComparison.Ordinal);
        var merged = (await service.GetAsync(target.Id))!;
        Assert.Equal(("Brute force SSH ke web01", Spbe.Security.Soc.Incidents.IncidentSeverity.Kritis), (merged.Incident.Title, merged.Incident.Severity));
        Assert.False(merged.Alerts.Single(a => a.Sequence == sequence).TruePositive);
        Assert.Equal(Spbe.Security.Soc.Incidents.IncidentStatus.Duplikat, (await service.GetAsync(source.Id))!.Incident.Status);
        var split = await PostAsync("Pecah", ("Pecah", sequence.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Contains("Peringatan dipecah ke insiden #", split, StringComparison.Ordinal);
    }
}
