using System.Net;
using System.Text.Json;
using Spbe.Security.Testing;

namespace Spbe.Security.Host.Endpoints;

[Trait("Category", "Database")]
public sealed class OperationalEndpointsTests : IAsyncLifetime
{
    private TestDatabase _database = null!;

    public async Task InitializeAsync() => _database = await TestDatabase.CreateAsync();

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task Liveness_and_readiness_answer_once_started()
    {
        using var factory = new SpbeHostFactory(_database);
        using var client = factory.CreateHttpClient();

        using var live = await client.GetAsync(new Uri("/healthz", UriKind.Relative));
        using var ready = await client.GetAsync(new Uri("/readyz", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        using var body = JsonDocument.Parse(await ready.Content.ReadAsStringAsync());
        Assert.Equal("Healthy", body.RootElement.GetProperty("status").GetString());
        var stores = Assert.Single(body.RootElement.GetProperty("checks").EnumerateArray());
        Assert.Equal("stores", stores.GetProperty("name").GetString());
        Assert.Equal("4 store(s) ready", stores.GetProperty("description").GetString()); // identity database, OIDC keys, PKI database, incidents
        Assert.Equal("no-store", ready.Headers.CacheControl?.ToString());
    }

    [Fact]
    public async Task Metrics_are_served_in_prometheus_format_to_loopback()
    {
        using var factory = new SpbeHostFactory(_database);
        using var client = factory.CreateHttpClient();
        (await client.GetAsync(new Uri("/healthz", UriKind.Relative))).Dispose();

        var metrics = await client.GetStringAsync(new Uri("/metrics", UriKind.Relative));

        Assert.Contains("# TYPE spbe_build_info gauge", metrics, StringComparison.Ordinal);
        Assert.Contains("http_requests_received_total", metrics, StringComparison.Ordinal);
        Assert.Contains("process_cpu_seconds_total", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_and_readiness_detail_are_denied_outside_operational_networks()
    {
        using var factory = new SpbeHostFactory(_database, new KeyValuePair<string, string?>("Host:OperationalNetworks:0", "10.20.0.0/16"));
        using var client = factory.CreateHttpClient();

        using var metrics = await client.GetAsync(new Uri("/metrics", UriKind.Relative));
        var ready = await client.GetStringAsync(new Uri("/readyz", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Forbidden, metrics.StatusCode);
        Assert.Equal("application/problem+json", metrics.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain("store(s) ready", ready, StringComparison.Ordinal);
        Assert.Contains("\"status\":\"Healthy\"", ready, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Https_listener_serves_the_certificate_from_the_data_directory()
    {
        using var factory = new SpbeHostFactory(_database);
        using var client = factory.CreateHttpsClient();

        using var response = await client.GetAsync(new Uri("/readyz", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("127.0.0.1", client.BaseAddress!.Host);
        Assert.Equal("max-age=31536000", response.Headers.GetValues("Strict-Transport-Security").Single());
    }

    [Fact]
    public async Task Every_response_carries_the_security_headers()
    {
        using var factory = new SpbeHostFactory(_database);
        using var client = factory.CreateHttpClient();

        using var found = await client.GetAsync(new Uri("/healthz", UriKind.Relative));
        using var missing = await client.GetAsync(new Uri("/no/such/page", UriKind.Relative));

        foreach (var response in new[] { found, missing })
        {
            Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
            Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
            Assert.Contains("frame-ancestors 'none'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
            Assert.False(response.Headers.Contains("Server"));
        }

        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }
}
