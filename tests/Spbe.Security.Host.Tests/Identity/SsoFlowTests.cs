using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Spbe.Security.Testing;

namespace Spbe.Security.Host.Identity;

/// <summary>The provider end to end over HTTPS: discovery, code + PKCE through the real login page, tokens,
/// userinfo, refresh rotation with reuse detection, client credentials, introspection and revocation.</summary>
[Trait("Category", "Database")]
public sealed class SsoFlowTests : IAsyncLifetime
{
    private TestDatabase _database = null!;
    private SpbeHostFactory _factory = null!;
    private SsoTestKit _kit = null!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync();
        _factory = new SpbeHostFactory(_database);
        _kit = new SsoTestKit(_factory);
        await _kit.SeedAsync("signer");
        await _kit.RegisterClientAsync(SsoTestKit.WebClient());
    }

    public async Task DisposeAsync()
    {
        await _factory.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task Discovery_advertises_code_flow_with_S256_only_and_an_ES256_key()
    {
        var discovery = await _kit.Browser.GetFromJsonAsync<JsonElement>("/.well-known/openid-configuration");
        var jwks = await _kit.Browser.GetFromJsonAsync<JsonElement>(discovery.GetProperty("jwks_uri").GetString());

        Assert.Equal(["S256"], discovery.GetProperty("code_challenge_methods_supported").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["code"], discovery.GetProperty("response_types_supported").EnumerateArray().Select(e => e.GetString()));
        var key = Assert.Single(jwks.GetProperty("keys").EnumerateArray());
        Assert.Equal("EC", key.GetProperty("kty").GetString());
        Assert.Equal("ES256", key.GetProperty("alg").GetString());
    }

    [Fact]
    public async Task Code_flow_with_pkce_issues_signed_tokens_with_the_asn_claims()
    {
        var (verifier, challenge) = SsoTestKit.Pkce();
        var callback = await _kit.AuthorizeAsync(SsoTestKit.AuthorizeUrl("portal-opd", challenge));

        var (status, tokens) = await _kit.RedeemAsync(SsoTestKit.CodeFrom(callback), verifier);

        Assert.Equal(HttpStatusCode.OK, status);
        var idToken = await ValidateAsync(tokens.GetProperty("id_token").GetString()!, "portal-opd");
        Assert.Equal(SsoTestKit.Nip, idToken.GetClaim("nip").Value);
        Assert.Equal("DISKOMINFO", idToken.GetClaim("opd").Value);
        Assert.Equal("Kepala Bidang Persandian", idToken.GetClaim("jabatan").Value);
        Assert.Equal("signer", idToken.GetClaim("role").Value);
        Assert.Equal("n0nce", idToken.GetClaim("nonce").Value);
        Assert.Equal("pwd", idToken.GetClaim("amr").Value);
        Assert.False(idToken.TryGetClaim("email", out _));

        using var request = new HttpRequestMessage(HttpMethod.Get, "/connect/userinfo");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", tokens.GetProperty("access_token").GetString());
        using var userinfo = await _kit.Browser.SendAsync(request);
        var claims = await userinfo.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(SsoTestKit.Nip, claims.GetProperty("nip").GetString());
        Assert.Equal("DISKOMINFO", claims.GetProperty("opd").GetString());
        Assert.False(claims.TryGetProperty("email", out _));

        var events = _kit.SecurityEvents();
        Assert.Contains(events, e => SsoTestKit.Field(e, "event", "action") == "sso-login" && SsoTestKit.Field(e, "event", "outcome") == "success"
            && SsoTestKit.Field(e, "user", "name") == SsoTestKit.Nip && SsoTestKit.Field(e, "organization", "id") == "DISKOMINFO"
            && SsoTestKit.Field(e, "source", "ip") == "127.0.0.1");
        Assert.Contains(events, e => SsoTestKit.Field(e, "event", "action") == "sso-token" && SsoTestKit.Field(e, "event", "outcome") == "success"
            && SsoTestKit.Field(e, "client", "id") == "portal-opd" && SsoTestKit.Field(e, "event", "reason") == "authorization_code");
        Assert.DoesNotContain(SsoTestKit.Password, string.Join("\n", events.Select(e => e.GetRawText())), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_second_sign_in_reuses_the_session_without_the_login_page()
    {
        var (_, challenge) = SsoTestKit.Pkce();
        await _kit.AuthorizeAsync(SsoTestKit.AuthorizeUrl("portal-opd", challenge));

        var (_, again) = SsoTestKit.Pkce();
        using var response = await _kit.Browser.GetAsync(new Uri(SsoTestKit.AuthorizeUrl("portal-opd", again), UriKind.Relative));

        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        Assert.StartsWith(SsoTestKit.RedirectUri.ToString(), response.Headers.Location!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rp_initiated_logout_ends_the_session_and_returns_to_the_registered_uri()
    {
        var (verifier, challenge) = SsoTestKit.Pkce();
        var (_, tokens) = await _kit.RedeemAsync(SsoTestKit.CodeFrom(await _kit.AuthorizeAsync(SsoTestKit.AuthorizeUrl("portal-opd", challenge))), verifier);
        var idToken = tokens.GetProperty("id_token").GetString()!;

        using var logout = await _kit.Browser.GetAsync(new Uri(
            $"/connect/logout?id_token_hint={idToken}&post_logout_redirect_uri={Uri.EscapeDataString("https://rp.example.go.id/")}&state=keluar", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Found, logout.StatusCode);
        Assert.StartsWith("https://rp.example.go.id/?state=keluar", logout.Headers.Location!.ToString(), StringComparison.Ordinal);
        var (_, again) = SsoTestKit.Pkce();
        using var next = await _kit.Browser.GetAsync(new Uri(SsoTestKit.AuthorizeUrl("portal-opd", again), UriKind.Relative));
        Assert.Contains("/masuk", next.Headers.Location!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Logout_to_an_unregistered_uri_is_refused()
    {
        using var logout = await _kit.Browser.GetAsync(new Uri(
            $"/connect/logout?post_logout_redirect_uri={Uri.EscapeDataString("https://attacker.example/")}", UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadRequest, logout.StatusCode);
        Assert.Null(logout.Headers.Location);
    }

    [Fact]
    public async Task Refresh_rotates_and_a_reused_refresh_token_revokes_the_whole_family()
    {
        var (verifier, challenge) = SsoTestKit.Pkce();
        var (_, tokens) = await _kit.RedeemAsync(SsoTestKit.CodeFrom(await _kit.AuthorizeAsync(SsoTestKit.AuthorizeUrl("portal-opd", challenge))), verifier);
        var first = tokens.GetProperty("refresh_token").GetString()!;

        var (rotatedStatus, rotated) = await _kit.RefreshAsync(first);
        Assert.Equal(HttpStatusCode.OK, rotatedStatus);
        var second = rotated.GetProperty("refresh_token").GetString()!;
        Assert.NotEqual(first, second);

        var (reuseStatus, reuse) = await _kit.RefreshAsync(first);
        Assert.Equal(HttpStatusCode.BadRequest, reuseStatus);
        Assert.Equal("invalid_grant", reuse.GetProperty("error").GetString());

        Assert.Contains(_kit.SecurityEvents(), e => SsoTestKit.Field(e, "event", "action") == "sso-token"
            && SsoTestKit.Field(e, "event", "outcome") == "failure" && SsoTestKit.Field(e, "event", "reason") == "refresh_token: invalid_grant");
        Assert.Contains(_kit.SecurityEvents(), e => SsoTestKit.Field(e, "event", "action") == "sso-refresh-reuse" && SsoTestKit.Field(e, "client", "id") == "portal-opd");
        var (afterStatus, _) = await _kit.RefreshAsync(second);
        Assert.Equal(HttpStatusCode.BadRequest, afterStatus);
        Assert.False((await _kit.IntrospectAsync(rotated.GetProperty("access_token").GetString()!)).GetProperty("active").GetBoolean());
    }

    [Fact]
    public async Task Disabling_an_account_revokes_its_tokens_and_refuses_refresh()
    {
        var (verifier, challenge) = SsoTestKit.Pkce();
        var (_, tokens) = await _kit.RedeemAsync(SsoTestKit.CodeFrom(await _kit.AuthorizeAsync(SsoTestKit.AuthorizeUrl("portal-opd", challenge))), verifier);

        await using (var scope = _factory.Services.CreateAsyncScope())
        {
            var disabled = await scope.ServiceProvider.GetRequiredService<Spbe.Security.Identity.Accounts.AccountService>().DisableAsync(SsoTestKit.Nip);
            Assert.True(disabled.Succeeded);
        }

        Assert.False((await _kit.IntrospectAsync(tokens.GetProperty("access_token").GetString()!)).GetProperty("active").GetBoolean());
        var (status, error) = await _kit.RefreshAsync(tokens.GetProperty("refresh_token").GetString()!);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("invalid_grant", error.GetProperty("error").GetString());
        Assert.Contains(_kit.SecurityEvents(), e => SsoTestKit.Field(e, "event", "action") == "sso-account-disabled");
    }

    [Fact]
    public async Task A_code_used_twice_is_refused_and_what_the_first_use_issued_is_revoked()
    {
        var (verifier, challenge) = SsoTestKit.Pkce();
        var code = SsoTestKit.CodeFrom(await _kit.AuthorizeAsync(SsoTestKit.AuthorizeUrl("portal-opd", challenge)));
        var (_, tokens) = await _kit.RedeemAsync(code, verifier);
        var access = tokens.GetProperty("access_token").GetString()!;
        Assert.True((await _kit.IntrospectAsync(access)).GetProperty("active").GetBoolean());

        var (status, error) = await _kit.RedeemAsync(code, verifier);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("invalid_grant", error.GetProperty("error").GetString());
        Assert.False((await _kit.IntrospectAsync(access)).GetProperty("active").GetBoolean());
        var (refreshStatus, _) = await _kit.RefreshAsync(tokens.GetProperty("refresh_token").GetString()!);
        Assert.Equal(HttpStatusCode.BadRequest, refreshStatus);
    }

    [Fact]
    public async Task Client_credentials_tokens_are_self_contained_jwts_that_introspect_but_are_not_stored()
    {
        await _kit.RegisterClientAsync(new Spbe.Security.Identity.Clients.NewClient(
            "layanan-arsip", "Layanan Arsip", ["client_credentials"], [], [], [], Public: false, "rahasia-layanan-arsip-yang-panjang-sekali"));

        var (status, tokens) = await _kit.TokenAsync(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = "layanan-arsip",
            ["client_secret"] = "rahasia-layanan-arsip-yang-panjang-sekali",
        });
        Assert.Equal(HttpStatusCode.OK, status);
        var access = tokens.GetProperty("access_token").GetString()!;
        Assert.False(tokens.TryGetProperty("refresh_token", out _));
        var token = await ValidateAsync(access, audience: "layanan-arsip");
        Assert.Equal("layanan-arsip", token.Subject);

        var active = await _kit.IntrospectAsync(access, "layanan-arsip", "rahasia-layanan-arsip-yang-panjang-sekali");
        Assert.True(active.GetProperty("active").GetBoolean());

        Assert.Equal(["layanan-arsip"], token.Audiences);

        // Note: a client's own tokens are self-contained (no database entry): revocation answers with RFC 7009's
        // unsupported_token_type and the token lives out its (short) lifetime; rotating or removing the client stops new ones.
        using var revoke = await _kit.Browser.PostAsync(new Uri("/connect/revoke", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["token"] = access,
            ["client_id"] = "layanan-arsip",
            ["client_secret"] = "rahasia-layanan-arsip-yang-panjang-sekali",
        }));
        Assert.Equal(HttpStatusCode.BadRequest, revoke.StatusCode);
        Assert.Contains("unsupported_token_type", await revoke.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private async Task<JsonWebToken> ValidateAsync(string jwt, string? audience)
    {
        var discovery = await _kit.Browser.GetFromJsonAsync<JsonElement>("/.well-known/openid-configuration");
        var jwks = new JsonWebKeySet(await _kit.Browser.GetStringAsync(discovery.GetProperty("jwks_uri").GetString()));
        var result = await new JsonWebTokenHandler().ValidateTokenAsync(jwt, new TokenValidationParameters
        {
            ValidIssuer = discovery.GetProperty("issuer").GetString(),
            ValidateAudience = audience is not null,
            ValidAudience = audience,
            IssuerSigningKeys = jwks.GetSigningKeys(),
            ValidTypes = ["JWT", "at+jwt"],
        });
        Assert.True(result.IsValid, result.Exception?.Message);
        return (JsonWebToken)result.SecurityToken;
    }
}
