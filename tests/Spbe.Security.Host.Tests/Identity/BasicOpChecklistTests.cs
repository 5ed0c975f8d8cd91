using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Spbe.Security.Testing;

namespace Spbe.Security.Host.Identity;

/// <summary>
/// The OpenID Foundation's Basic OP conformance checks, mirrored as tests (test names as in the suite, e.g.
/// OP-OAuth-2nd-30s). The host runs on a fake clock so that "after 30 seconds" costs no waiting.
/// </summary>
[Trait("Category", "Database")]
public sealed class BasicOpChecklistTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(TimeProvider.System.GetUtcNow());
    private TestDatabase _database = null!;
    private SpbeHostFactory _factory = null!;
    private SsoTestKit _kit = null!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync();
        _factory = new SpbeHostFactory(_database) { Time = _time };
        _kit = new SsoTestKit(_factory);
        await _kit.SeedAsync("signer");
        await _kit.RegisterClientAsync(SsoTestKit.WebClient());
    }

    public async Task DisposeAsync()
    {
        await _factory.DisposeAsync();
        await _database.DisposeAsync();
    }

    private async Task<(string Code, string Verifier)> CodeAsync(string scope = "openid profile opd roles offline_access", string? extra = null)
    {
        var (verifier, challenge) = SsoTestKit.Pkce();
        var callback = await _kit.AuthorizeAsync(SsoTestKit.AuthorizeUrl("portal-opd", challenge, scope, extra));
        return (SsoTestKit.CodeFrom(callback), verifier);
    }

    private async Task<JsonElement> TokensAsync(string scope = "openid profile opd roles offline_access", string? extra = null)
    {
        var (code, verifier) = await CodeAsync(scope, extra);
        var (status, tokens) = await _kit.RedeemAsync(code, verifier);
        Assert.Equal(HttpStatusCode.OK, status);
        return tokens;
    }

    [Fact]
    public async Task OP_OAuth_2nd_a_code_used_twice_is_refused_and_what_the_first_use_issued_is_revoked()
    {
        var (code, verifier) = await CodeAsync();
        var (_, first) = await _kit.RedeemAsync(code, verifier);

        var (status, second) = await _kit.RedeemAsync(code, verifier);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("invalid_grant", second.GetProperty("error").GetString());
        Assert.False((await _kit.IntrospectAsync(first.GetProperty("access_token").GetString()!)).GetProperty("active").GetBoolean());
        var (refreshStatus, _) = await _kit.RefreshAsync(first.GetProperty("refresh_token").GetString()!);
        Assert.Equal(HttpStatusCode.BadRequest, refreshStatus);
    }

    [Fact]
    public async Task OP_OAuth_2nd_30s_a_code_used_again_after_30_seconds_is_refused()
    {
        var (code, verifier) = await CodeAsync();
        var (firstStatus, _) = await _kit.RedeemAsync(code, verifier);
        Assert.Equal(HttpStatusCode.OK, firstStatus);

        _time.Advance(TimeSpan.FromSeconds(31));
        var (status, body) = await _kit.RedeemAsync(code, verifier);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("invalid_grant", body.GetProperty("error").GetString());
    }

    [Fact]
    public async Task OP_Req_NotUnderstood_unknown_parameters_are_ignored()
    {
        var tokens = await TokensAsync(extra: "&extra_parameter=tidak-dikenal&foo=bar");

        Assert.True(tokens.TryGetProperty("id_token", out _));
    }

    [Fact]
    public async Task OP_IDToken_kid_the_id_token_names_a_key_published_in_the_jwks()
    {
        var tokens = await TokensAsync();
        var kid = SsoTestKit.Read(tokens, "id_token").Kid;
        var jwks = await _kit.Browser.GetFromJsonAsync<JsonElement>("/.well-known/jwks");

        Assert.Contains(jwks.GetProperty("keys").EnumerateArray(), k => k.GetProperty("kid").GetString() == kid);
    }

    [Fact]
    public async Task OP_prompt_none_LoggedIn_a_signed_in_user_gets_a_code_without_any_page()
    {
        await TokensAsync();
        var (_, challenge) = SsoTestKit.Pkce();

        using var silent = await _kit.Browser.GetAsync(new Uri(SsoTestKit.AuthorizeUrl("portal-opd", challenge, extra: "&prompt=none"), UriKind.Relative));

        Assert.StartsWith(SsoTestKit.RedirectUri + "?code=", silent.Headers.Location!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OP_Req_max_age_1_an_older_sign_in_is_asked_again_and_auth_time_is_returned()
    {
        var first = await TokensAsync();
        var firstAuthTime = long.Parse(SsoTestKit.Read(first, "id_token").GetClaim("auth_time").Value, System.Globalization.CultureInfo.InvariantCulture);
        _time.Advance(TimeSpan.FromSeconds(2));
        var (_, challenge) = SsoTestKit.Pkce();

        using var again = await _kit.Browser.GetAsync(new Uri(SsoTestKit.AuthorizeUrl("portal-opd", challenge, extra: "&max_age=1"), UriKind.Relative));
        Assert.Contains("/masuk", again.Headers.Location!.ToString(), StringComparison.Ordinal);

        _time.Advance(TimeSpan.FromSeconds(2));
        var fresh = await TokensAsync(extra: "&max_age=1");
        var authTime = long.Parse(SsoTestKit.Read(fresh, "id_token").GetClaim("auth_time").Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(authTime >= firstAuthTime + 4, $"{authTime} vs {firstAuthTime}");
    }

    [Fact]
    public async Task OP_Req_max_age_10000_a_recent_sign_in_is_reused()
    {
        await TokensAsync();
        _time.Advance(TimeSpan.FromMinutes(5));
        var (_, challenge) = SsoTestKit.Pkce();

        using var reused = await _kit.Browser.GetAsync(new Uri(SsoTestKit.AuthorizeUrl("portal-opd", challenge, extra: "&max_age=10000"), UriKind.Relative));

        Assert.StartsWith(SsoTestKit.RedirectUri + "?code=", reused.Headers.Location!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OP_Req_id_token_hint_a_hint_of_the_signed_in_user_is_accepted_with_prompt_none()
    {
        var first = await TokensAsync();
        var (verifier, challenge) = SsoTestKit.Pkce();
        var hint = first.GetProperty("id_token").GetString()!;

        using var silent = await _kit.Browser.GetAsync(new Uri(SsoTestKit.AuthorizeUrl("portal-opd", challenge, extra: "&prompt=none&id_token_hint=" + hint), UriKind.Relative));
        var (_, second) = await _kit.RedeemAsync(SsoTestKit.CodeFrom(silent.Headers.Location!), verifier);

        Assert.Equal(SsoTestKit.Read(first, "id_token").Subject, SsoTestKit.Read(second, "id_token").Subject);
    }

    [Fact]
    public async Task OP_claims_individual_claims_are_released_to_the_id_token_and_userinfo_within_the_client_scopes()
    {
        var claims = Uri.EscapeDataString("""{"id_token":{"email":{"essential":true},"unknown_claim":null},"userinfo":{"name":{"essential":true},"opd":null}}""");

        var tokens = await TokensAsync(scope: "openid", extra: "&claims=" + claims);

        var idToken = SsoTestKit.Read(tokens, "id_token");
        Assert.Equal("siti@kota.go.id", idToken.GetClaim("email").Value);
        Assert.False(idToken.TryGetClaim("name", out _));
        Assert.False(idToken.TryGetClaim("unknown_claim", out _));
        using var request = new HttpRequestMessage(HttpMethod.Get, "/connect/userinfo");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", tokens.GetProperty("access_token").GetString());
        using var response = await _kit.Browser.SendAsync(request);
        var userinfo = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Siti Rahmawati", userinfo.GetProperty("name").GetString());
        Assert.Equal("DISKOMINFO", userinfo.GetProperty("opd").GetString());
        Assert.False(userinfo.TryGetProperty("email", out _));
    }

    [Fact]
    public async Task OP_claims_a_claim_outside_the_client_scopes_is_not_released()
    {
        await _kit.RegisterClientAsync(SsoTestKit.WebClient("portal-terbatas", "rahasia-klien-portal-terbatas-yang-panjang") with { Scopes = ["profile"] });
        var (verifier, challenge) = SsoTestKit.Pkce();
        var claims = Uri.EscapeDataString("""{"id_token":{"email":{"essential":true},"opd":null}}""");
        var callback = await _kit.AuthorizeAsync(SsoTestKit.AuthorizeUrl("portal-terbatas", challenge, "openid profile", "&claims=" + claims));

        var (_, tokens) = await _kit.RedeemAsync(SsoTestKit.CodeFrom(callback), verifier, "portal-terbatas", "rahasia-klien-portal-terbatas-yang-panjang");

        var idToken = SsoTestKit.Read(tokens, "id_token");
        Assert.False(idToken.TryGetClaim("email", out _));
        Assert.False(idToken.TryGetClaim("opd", out _));
        Assert.Equal(SsoTestKit.Nip, idToken.GetClaim("nip").Value);
    }

    [Theory]
    [InlineData("GET", "header")]
    [InlineData("POST", "header")]
    [InlineData("POST", "body")]
    public async Task OP_UserInfo_the_userinfo_endpoint_answers_every_standard_way(string method, string tokenIn)
    {
        var tokens = await TokensAsync();
        var accessToken = tokens.GetProperty("access_token").GetString()!;
        using var request = new HttpRequestMessage(new HttpMethod(method), "/connect/userinfo");
        if (tokenIn == "header")
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
            if (method == "POST")
            {
                request.Content = new FormUrlEncodedContent([]);
            }
        }
        else
        {
            request.Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["access_token"] = accessToken });
        }

        using var response = await _kit.Browser.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var userinfo = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(SsoTestKit.Read(tokens, "id_token").Subject, userinfo.GetProperty("sub").GetString());
        Assert.Equal(SsoTestKit.Nip, userinfo.GetProperty("nip").GetString());
    }

    [Fact]
    public async Task OP_Req_acr_values_the_acr_reached_is_returned()
    {
        var tokens = await TokensAsync(extra: "&acr_values=" + Uri.EscapeDataString("urn:spbe:acr:pwd"));

        Assert.Equal("urn:spbe:acr:pwd", SsoTestKit.Read(tokens, "id_token").GetClaim("acr").Value);
    }
}
