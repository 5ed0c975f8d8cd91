using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Spbe.Security.Host.Identity;
using Spbe.Security.Identity.Accounts;
using Spbe.Security.Soc.Ingest;
using Spbe.Security.Testing;

namespace Spbe.Security.Host.Soc;

/// <summary>The SOC over HTTP: ingest with a bearer token per source (answered once durable), search scoped by role and
/// OPD, the Host's own security events in the same store, and the pipeline's counters at /metrics.</summary>
[Trait("Category", "Database")]
public sealed class SocApiTests : IAsyncLifetime
{
    private const string CsirtAdminNip = "198001012005011002";
    private const string BappedaAnalystNip = "199306062018061007";
    private const string StaffNip = "199003032015031004";
    private const string BappedaOpdAdminNip = "199104042016041005";
    private const string Password = "kata-sandi-yang-panjang-1";
    private const string ConsoleSecret = "rahasia-konsol-csirt-yang-panjang-sekali";
    private const string DinkesToken = "token-aplikasi-dinkes-yang-panjang-dan-acak";
    private const string BappedaToken = "token-aplikasi-bappeda-yang-panjang-dan-acak";
    private readonly TempDirectory _policies = new();
    private TestDatabase _database = null!;
    private SpbeHostFactory _factory = null!;

    public async Task InitializeAsync()
    {
        CopyDirectory(RepositoryPaths.Policies, _policies.Path);
        File.WriteAllText(_policies.Combine("soc", "sources.yaml"), $"""
            sources:
              - name: dinkes-app
                opd: DINKES
                http_token_sha256: {Sha256(DinkesToken)}
              - name: bappeda-app
                opd: BAPPEDA
                http_token_sha256: {Sha256(BappedaToken)}
            """);
        _database = await TestDatabase.CreateAsync();
        _factory = new SpbeHostFactory(_database, new KeyValuePair<string, string?>("Spbe:PoliciesDirectory", _policies.Path));
        var kit = new SsoTestKit(_factory);
        _ = kit.Browser;
        await using var scope = _factory.Services.CreateAsyncScope();
        var accounts = scope.ServiceProvider.GetRequiredService<AccountService>();
        foreach (var (nip, opd, roles) in new[]
        {
            (CsirtAdminNip, "DISKOMINFO", new[] { "csirt-admin" }), (BappedaAnalystNip, "BAPPEDA", ["csirt-analyst"]), (BappedaOpdAdminNip, "BAPPEDA", ["opd-admin"]), (StaffNip, "BAPPEDA", []),
        })
        {
            Assert.True((await accounts.CreateAsync(new NewAccount(nip, "ASN " + nip[^3..], opd, null, null, roles), Password)).Succeeded);
        }

        await kit.RegisterClientAsync(SsoTestKit.WebClient("konsol-csirt", ConsoleSecret) with { Scopes = ["profile", "spbe.soc"] });
    }

    public async Task DisposeAsync()
    {
        await _factory.DisposeAsync();
        await _database.DisposeAsync();
        _policies.Dispose();
    }

    private static string Sha256(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    private static void CopyDirectory(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    private async Task<HttpResponseMessage> IngestAsync(string? token, string body, string mediaType = "application/x-ndjson")
    {
        using var client = _factory.CreateHttpsClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/soc/ingest") { Content = new StringContent(body, Encoding.UTF8, mediaType) };
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return await client.SendAsync(request);
    }

    private Task<HttpClient> AnalystClientAsync(string nip, string scope = "openid spbe.soc") =>
        new SsoTestKit(_factory, nip).BearerClientAsync("konsol-csirt", ConsoleSecret, scope);

    private static async Task<string> CodeOf(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString()!;

    private async Task<JsonElement> EventsAsync(HttpClient client, string query)
    {
        await _factory.Services.GetRequiredService<IngestPipeline>().DrainAsync();
        return await client.GetFromJsonAsync<JsonElement>("/api/soc/events?" + query);
    }

    [Fact]
    public async Task Ingest_RefusesWithoutAKnownTokenOrJson_AndTakesTheGoodLinesOfABatch()
    {
        using var anonymous = await IngestAsync(null, "{\"message\":\"x\"}");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal("SOC-0101", await CodeOf(anonymous));
        using var forged = await IngestAsync("token-palsu", "{\"message\":\"x\"}");
        Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
        using var text = await IngestAsync(DinkesToken, "bukan json", "text/plain");
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, text.StatusCode);

        using var batch = await IngestAsync(DinkesToken, "{\"message\":\"login gagal\",\"user\":{\"name\":\"199001012020121001\"}}\n{broken\n{\"message\":\"login berhasil\"}\n");
        Assert.Equal(HttpStatusCode.OK, batch.StatusCode);
        var answer = await batch.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(2, answer.GetProperty("accepted").GetInt32());
        var rejected = answer.GetProperty("rejected").EnumerateArray().Single();
        Assert.Equal((2, "SOC-0103"), (rejected.GetProperty("line").GetInt32(), rejected.GetProperty("code").GetString()));

        using var array = await IngestAsync(BappedaToken, "[{\"message\":\"satu\"},{\"message\":\"dua\"}]", "application/json");
        Assert.Equal(2, (await array.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accepted").GetInt32());
    }

    [Fact]
    public async Task Search_IsScopedByRoleAndOpd()
    {
        using (var ingest = await IngestAsync(DinkesToken, "{\"message\":\"rahasia dinkes\",\"host\":{\"name\":\"simpus\"}}\n"))
        {
            Assert.Equal(HttpStatusCode.OK, ingest.StatusCode);
        }

        using (var ingest = await IngestAsync(BappedaToken, "{\"message\":\"rahasia bappeda\"}\n"))
        {
            Assert.Equal(HttpStatusCode.OK, ingest.StatusCode);
        }

        using var city = await AnalystClientAsync(CsirtAdminNip);
        var all = await EventsAsync(city, "q=rahasia");
        Assert.Equal(["BAPPEDA", "DINKES"], all.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("organization").GetProperty("id").GetString()).Order());
        var dinkes = await EventsAsync(city, "q=rahasia&opd=DINKES&host=simpus");
        Assert.Equal("dinkes-app", dinkes.GetProperty("events")[0].GetProperty("observer").GetProperty("name").GetString());

        // Note: a CSIRT analyst works for the whole city, whatever their own OPD; an OPD's admin reads only their own.
        using var analyst = await AnalystClientAsync(BappedaAnalystNip);
        var city2 = await EventsAsync(analyst, "q=rahasia");
        Assert.Equal(["BAPPEDA", "DINKES"], city2.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("organization").GetProperty("id").GetString()).Order());
        using var opdAdmin = await AnalystClientAsync(BappedaOpdAdminNip);
        var own = await EventsAsync(opdAdmin, "q=rahasia");
        Assert.Equal(["BAPPEDA"], own.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("organization").GetProperty("id").GetString()));
        using var foreign = await opdAdmin.GetAsync(new Uri("/api/soc/events?opd=DINKES", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Forbidden, foreign.StatusCode);
        Assert.Equal("SOC-0302", await CodeOf(foreign));

        using var staff = await AnalystClientAsync(StaffNip);
        using var noRole = await staff.GetAsync(new Uri("/api/soc/events", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Forbidden, noRole.StatusCode);

        using var anonymous = _factory.CreateHttpsClient();
        using var none = await anonymous.GetAsync(new Uri("/api/soc/events", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);

        using var badTime = await city.GetAsync(new Uri("/api/soc/events?since=kemarin", UriKind.Relative));
        Assert.Equal(HttpStatusCode.BadRequest, badTime.StatusCode);
        Assert.Equal("SOC-0301", await CodeOf(badTime));
    }

    [Fact]
    public async Task SecurityEventsOfTheHost_AreSearchableAndTheCountersAreServed()
    {
        // Note: the sign-ins of AnalystClientAsync are security events; they enter the same pipeline.
        using var city = await AnalystClientAsync(CsirtAdminNip);
        var logins = await EventsAsync(city, "field.event.action=sso-login&source=spbe-security");
        Assert.Contains(logins.GetProperty("events").EnumerateArray(), e => e.GetProperty("event").GetProperty("original").GetString()!.Contains(CsirtAdminNip, StringComparison.Ordinal));

        var count = await city.GetFromJsonAsync<JsonElement>("/api/soc/events/count?source=spbe-security");
        Assert.True(count.GetProperty("count").GetInt64() >= 1);

        using var client = _factory.CreateHttpClient();
        var metrics = await client.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        Assert.Contains("spbe_soc_received_total{transport=\"internal\"}", metrics, StringComparison.Ordinal);
        Assert.Contains("spbe_soc_stored_total", metrics, StringComparison.Ordinal);
        Assert.Contains("spbe_soc_store_lag_events", metrics, StringComparison.Ordinal);
        Assert.Contains("spbe_soc_wal_written_bytes_total", metrics, StringComparison.Ordinal);
    }
}
