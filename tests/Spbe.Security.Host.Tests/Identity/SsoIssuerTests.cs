using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Spbe.Security.Identity.Clients;
using Spbe.Security.Testing;

namespace Spbe.Security.Host.Identity;

/// <summary>A configured issuer is what every response names, whatever Host header a caller sends.</summary>
[Trait("Category", "Database")]
public sealed class SsoIssuerTests : IAsyncLifetime
{
    private TestDatabase _database = null!;
    private SpbeHostFactory _factory = null!;
    private SsoTestKit _kit = null!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync();
        _factory = new SpbeHostFactory(_database, new KeyValuePair<string, string?>("Sso:Issuer", "https://sso.kota.example/"));
        _kit = new SsoTestKit(_factory);
        await _kit.SeedAsync();
    }

    public async Task DisposeAsync()
    {
        await _factory.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task Discovery_names_the_configured_issuer_not_the_request_host()
    {
        using var client = _factory.CreateHttpsClient();

        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/.well-known/openid-configuration", UriKind.Relative));
        request.Headers.Host = "penyerang.example";
        using var response = await client.SendAsync(request);
        var discovery = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal("https://sso.kota.example/", discovery.GetProperty("issuer").GetString());
        Assert.StartsWith("https://sso.kota.example/", discovery.GetProperty("token_endpoint").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("https://sso.kota.example/", discovery.GetProperty("jwks_uri").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("penyerang", discovery.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_device_flow_sends_the_user_to_the_configured_issuer()
    {
        await _kit.RegisterClientAsync(new NewClient("papan-antrian", "Papan Antrian", ["urn:ietf:params:oauth:grant-type:device_code"], [], [],
            ["profile"], Public: true, Secret: null));

        using var response = await _kit.Browser.PostAsync(new Uri("/connect/device", UriKind.Relative),
            new FormUrlEncodedContent(new Dictionary<string, string> { ["client_id"] = "papan-antrian", ["scope"] = "openid profile" }));
        var device = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("https://sso.kota.example/perangkat", device.GetProperty("verification_uri").GetString());
        Assert.StartsWith("https://sso.kota.example/perangkat?", device.GetProperty("verification_uri_complete").GetString(), StringComparison.Ordinal);
    }
}
