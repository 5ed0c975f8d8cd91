using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;
using Spbe.Security.Testing;

namespace Spbe.Security.Host.Identity;

/// <summary>What the provider must refuse, each with the standard error.</summary>
[Trait("Category", "Database")]
public sealed class SsoRefusalTests : IAsyncLifetime
{
    private TestDatabase _database = null!;
    private SpbeHostFactory _factory = null!;
    private SsoTestKit _kit = null!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync();
        _factory = new SpbeHostFactory(_database);
        _kit = new SsoTestKit(_factory);
        await _kit.SeedAsync();
        await _kit.RegisterClientAsync(SsoTestKit.WebClient());
    }

    public async Task DisposeAsync()
    {
        await _factory.DisposeAsync();
        await _database.DisposeAsync();
    }

    /// <summary>The error of a refused authorization request: sent back to the (valid) redirect URI, or shown by the
    /// provider itself when it refuses before trusting the redirect URI.</summary>
    private async Task<string> AuthorizationErrorAsync(string url)
    {
        using var response = await _kit.Browser.GetAsync(new Uri(url, UriKind.Relative));
        if (response.StatusCode == HttpStatusCode.Found)
        {
            var location = response.Headers.Location!;
            Assert.StartsWith(SsoTestKit.RedirectUri.ToString(), location.ToString(), StringComparison.Ordinal);
            var parameters = QueryHelpers.ParseQuery(location.Query.Length > 0 ? location.Query : "?" + location.Fragment.TrimStart('#'));
            return parameters.TryGetValue("error", out var error) ? error.ToString() : string.Empty;
        }

        // Note: shown by the provider's own error page (HTML, localised), with the standard code for the developer.
        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("frame-ancestors 'none'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        return System.Text.RegularExpressions.Regex.Match(body, "<code id=\"kode-galat\">([a-z_]+)</code>").Groups[1].Value;
    }

    [Fact]
    public async Task Missing_pkce_is_refused()
    {
        var url = SsoTestKit.AuthorizeUrl("portal-opd", "x").Replace("&code_challenge=x&code_challenge_method=S256", string.Empty, StringComparison.Ordinal);

        Assert.Equal("invalid_request", await AuthorizationErrorAsync(url));
    }

    [Fact]
    public async Task Plain_pkce_is_refused()
    {
        var (verifier, _) = SsoTestKit.Pkce();

        Assert.Equal("invalid_request", await AuthorizationErrorAsync(SsoTestKit.AuthorizeUrl("portal-opd", verifier, method: "plain")));
    }

    [Theory]
    [InlineData("token")]
    [InlineData("id_token")]
    [InlineData("code id_token")]
    [InlineData("code token")]
    public async Task Implicit_and_hybrid_response_types_are_refused(string responseType)
    {
        var (_, challenge) = SsoTestKit.Pkce();
        var url = SsoTestKit.AuthorizeUrl("portal-opd", challenge).Replace("response_type=code", "response_type=" + Uri.EscapeDataString(responseType), StringComparison.Ordinal);

        var error = await AuthorizationErrorAsync(url);

        Assert.Equal("unsupported_response_type", error);
    }

    [Theory]
    [InlineData("https://rp.example.go.id/callback/extra")]
    [InlineData("https://rp.example.go.id/callbac")]
    [InlineData("https://rp.example.go.id/callback?x=1")]
    [InlineData("https://attacker.example/callback")]
    [InlineData("http://rp.example.go.id/callback")]
    public async Task Unregistered_or_partially_matching_redirect_uris_are_refused_without_redirecting(string redirectUri)
    {
        var (_, challenge) = SsoTestKit.Pkce();
        var url = SsoTestKit.AuthorizeUrl("portal-opd", challenge)
            .Replace(Uri.EscapeDataString(SsoTestKit.RedirectUri.ToString()), Uri.EscapeDataString(redirectUri), StringComparison.Ordinal);

        using var response = await _kit.Browser.GetAsync(new Uri(url, UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
        Assert.Contains("invalid_request", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Prompt_none_without_a_session_answers_login_required()
    {
        var (_, challenge) = SsoTestKit.Pkce();

        Assert.Equal("login_required", await AuthorizationErrorAsync(SsoTestKit.AuthorizeUrl("portal-opd", challenge, extra: "&prompt=none")));
    }

    [Theory]
    [InlineData("&prompt=login")]
    [InlineData("&max_age=0")]
    public async Task Prompt_login_and_max_age_force_a_new_sign_in(string extra)
    {
        var (_, challenge) = SsoTestKit.Pkce();
        await _kit.AuthorizeAsync(SsoTestKit.AuthorizeUrl("portal-opd", challenge));

        using var response = await _kit.Browser.GetAsync(new Uri(SsoTestKit.AuthorizeUrl("portal-opd", challenge, extra: extra), UriKind.Relative));

        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        Assert.Contains("/masuk", response.Headers.Location!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_confidential_client_without_its_secret_is_refused()
    {
        var (status, body) = await _kit.TokenAsync(new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token",
            ["refresh_token"] = "anything",
            ["client_id"] = "portal-opd",
        });

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("invalid_client", body.GetProperty("error").GetString());
    }

    [Fact]
    public async Task A_wrong_client_secret_is_refused()
    {
        var (status, body) = await _kit.TokenAsync(new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token",
            ["refresh_token"] = "anything",
            ["client_id"] = "portal-opd",
            ["client_secret"] = "bukan-rahasia-yang-benar-sama-sekali-xx",
        });

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("invalid_client", body.GetProperty("error").GetString());
        Assert.Contains(_kit.SecurityEvents(), e => SsoTestKit.Field(e, "event", "reason") == "refresh_token: invalid_client"
            && SsoTestKit.Field(e, "client", "id") == "portal-opd");
    }

    [Fact]
    public async Task An_unsigned_token_with_alg_none_is_refused_at_userinfo()
    {
        static string Part(string json) => SsoTestKit.Base64Url(Encoding.UTF8.GetBytes(json));
        var forged = $"{Part("{\"alg\":\"none\",\"typ\":\"at+jwt\"}")}.{Part("{\"sub\":\"x\",\"scope\":\"openid profile\"}")}.";
        using var request = new HttpRequestMessage(HttpMethod.Get, "/connect/userinfo");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", forged);

        using var response = await _kit.Browser.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("invalid_token", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_password_keeps_the_user_on_the_login_page_and_five_lock_the_account()
    {
        for (var attempt = 0; attempt < 5; attempt++)
        {
            using var wrong = await _kit.LoginAsync(password: "salah-salah-salah-salah");
            Assert.Equal(HttpStatusCode.OK, wrong.StatusCode);
        }

        // Note: the right password on a locked account gets the same page and message as a wrong one, and no session.
        using var locked = await _kit.LoginAsync();
        Assert.Equal(HttpStatusCode.OK, locked.StatusCode);
        Assert.Contains("NIP atau kata sandi salah, atau akun sedang tidak dapat dipakai", await locked.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.False(locked.Headers.TryGetValues("Set-Cookie", out var cookies) && cookies.Any(c => c.StartsWith("__Host-spbe.sso=", StringComparison.Ordinal)));
        var events = _kit.SecurityEvents();
        Assert.Equal(4, events.Count(e => SsoTestKit.Field(e, "event", "reason") == "bad-password"));
        Assert.Contains(events, e => SsoTestKit.Field(e, "event", "action") == "sso-lockout" && SsoTestKit.Field(e, "user", "name") == SsoTestKit.Nip);
    }
}
