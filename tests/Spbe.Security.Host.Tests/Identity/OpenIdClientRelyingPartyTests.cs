using System.Diagnostics;
using System.Text.Json;
using Spbe.Security.Identity.Clients;
using Spbe.Security.Testing;

namespace Spbe.Security.Host.Identity;

/// <summary>panva/openid-client 6 (an OpenID-certified relying-party library, on Node.js) against the provider:
/// discovery, client_credentials, code + PKCE through the login form, userinfo, refresh rotation and reuse,
/// introspection, revocation and RP-initiated logout.</summary>
[Trait("Category", "Database")]
public sealed class OpenIdClientRelyingPartyTests : IAsyncLifetime
{
    private const string WebSecret = "rahasia-klien-node-yang-panjang-sekali-32";
    private const string ServiceSecret = "rahasia-layanan-node-yang-panjang-sekali";
    private static readonly Uri PostLogout = new("https://rp.example.go.id/");
    private TestDatabase _database = null!;
    private SpbeHostFactory _factory = null!;
    private SsoTestKit _kit = null!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync();
        _factory = new SpbeHostFactory(_database);
        _kit = new SsoTestKit(_factory);
        await _kit.SeedAsync("signer");
        await _kit.RegisterClientAsync(SsoTestKit.WebClient("rp-node", WebSecret));
        await _kit.RegisterClientAsync(new NewClient("layanan-node", "Layanan Node", ["client_credentials"], [], [], [], Public: false, ServiceSecret));
    }

    public async Task DisposeAsync()
    {
        await _factory.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task The_certified_openid_client_library_completes_every_flow()
    {
        var rpDirectory = Path.Combine(RepositoryPaths.Root, "tests", "rp-node");
        if (!Directory.Exists(Path.Combine(rpDirectory, "node_modules", "openid-client")))
        {
            // Note: .ci/run installs it (npm ci); under CI the test must run, elsewhere it says what is missing.
            Assert.False(TestEnvironment.IsCi, "tests/rp-node/node_modules is missing: run `npm ci` in tests/rp-node");
            Console.Error.WriteLine("openid-client is not installed (npm ci in tests/rp-node); the Node.js relying-party test did not run.");
            return;
        }

        var certificate = Path.Combine(_factory.DataDirectory, "tls", "https.crt");
        var issuer = _kit.Browser.BaseAddress!.ToString();
        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = rpDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment = { ["NODE_EXTRA_CA_CERTS"] = certificate },
        };
        foreach (var argument in new[] { "openid-client-rp.mjs", issuer, "rp-node", WebSecret, SsoTestKit.RedirectUri.ToString(), PostLogout.ToString(),
            "layanan-node", ServiceSecret, SsoTestKit.Nip, SsoTestKit.Password })
        {
            start.ArgumentList.Add(argument);
        }

        using var node = Process.Start(start)!;
        var output = node.StandardOutput.ReadToEndAsync();
        var error = node.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await node.WaitForExitAsync(timeout.Token);
        Assert.True(node.ExitCode == 0, $"node exited with {node.ExitCode}: {await error} {await output}");

        using var result = JsonDocument.Parse(await output);
        var r = result.RootElement;
        Assert.Equal(issuer, r.GetProperty("discovery").GetProperty("issuer").GetString());
        Assert.Equal(["S256"], r.GetProperty("discovery").GetProperty("pkce").EnumerateArray().Select(e => e.GetString()));
        Assert.True(r.GetProperty("clientCredentials").GetProperty("active").GetBoolean());
        Assert.Equal("layanan-node", r.GetProperty("clientCredentials").GetProperty("clientId").GetString());
        Assert.Equal(SsoTestKit.Nip, r.GetProperty("codeFlow").GetProperty("nip").GetString());
        Assert.Equal("DISKOMINFO", r.GetProperty("codeFlow").GetProperty("opd").GetString());
        Assert.True(r.GetProperty("codeFlow").GetProperty("hasRefreshToken").GetBoolean());
        Assert.Equal("Siti Rahmawati", r.GetProperty("userinfo").GetProperty("name").GetString());
        Assert.True(r.GetProperty("refresh").GetProperty("rotated").GetBoolean());
        Assert.Equal("invalid_grant", r.GetProperty("refresh").GetProperty("reuse").GetString());
        Assert.Equal("invalid_grant", r.GetProperty("refresh").GetProperty("family").GetString());
        Assert.True(r.GetProperty("revocation").GetProperty("activeBefore").GetBoolean());
        Assert.False(r.GetProperty("revocation").GetProperty("activeAfter").GetBoolean());
        Assert.Equal(302, r.GetProperty("logout").GetProperty("status").GetInt32());
        Assert.Equal(PostLogout + "?state=keluar", r.GetProperty("logout").GetProperty("location").GetString());
    }
}
