using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Spbe.Security.Identity.Clients;
using Spbe.Security.Testing;

namespace Spbe.Security.Host.Identity;

/// <summary>The protocol features beyond the basic code flow: PAR, device authorization, token exchange, consent
/// for third-party clients, back-channel logout, audiences, and the re-authentication marker.</summary>
[Trait("Category", "Database")]
public sealed class SsoProtocolTests : IAsyncLifetime
{
    private const string Secret = "rahasia-klien-portal-opd-yang-panjang-32";
    private TestDatabase _database = null!;
    private SpbeHostFactory _factory = null!;
    private SsoTestKit _kit = null!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync();
        _factory = new SpbeHostFactory(_database);
        _kit = new SsoTestKit(_factory);
        await _kit.SeedAsync("signer");
        var web = SsoTestKit.WebClient();
        await _kit.RegisterClientAsync(web with { Grants = [.. web.Grants, "urn:ietf:params:oauth:grant-type:token-exchange"] });
    }

    public async Task DisposeAsync()
    {
        await _factory.DisposeAsync();
        await _database.DisposeAsync();
    }

    private async Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(string path, Dictionary<string, string> form)
    {
        using var response = await _kit.Browser.PostAsync(new Uri(path, UriKind.Relative), new FormUrlEncodedContent(form));
        return (response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>());
    }

    private async Task<JsonElement> SignedInTokensAsync(string extra = "")
    {
        var (verifier, challenge) = SsoTestKit.Pkce();
        var callback = await _kit.AuthorizeAsync(SsoTestKit.AuthorizeUrl("portal-opd", challenge, extra: extra));
        var (status, tokens) = await _kit.RedeemAsync(SsoTestKit.CodeFrom(callback), verifier);
        Assert.Equal(HttpStatusCode.OK, status);
        return tokens;
    }

    [Fact]
    public async Task Discovery_advertises_par_device_token_exchange_and_acr_values()
    {
        var discovery = await _kit.Browser.GetFromJsonAsync<JsonElement>("/.well-known/openid-configuration");

        Assert.EndsWith("/connect/par", discovery.GetProperty("pushed_authorization_request_endpoint").GetString(), StringComparison.Ordinal);
        Assert.EndsWith("/connect/device", discovery.GetProperty("device_authorization_endpoint").GetString(), StringComparison.Ordinal);
        var grants = discovery.GetProperty("grant_types_supported").EnumerateArray().Select(e => e.GetString()).ToList();
        Assert.Contains("urn:ietf:params:oauth:grant-type:token-exchange", grants);
        Assert.Contains("urn:ietf:params:oauth:grant-type:device_code", grants);
        Assert.Equal(["urn:spbe:acr:pwd", "urn:spbe:acr:mfa"], discovery.GetProperty("acr_values_supported").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task A_pushed_request_is_used_once_and_its_request_uri_cannot_be_replayed()
    {
        var (verifier, challenge) = SsoTestKit.Pkce();
        var (status, pushed) = await PostAsync("/connect/par", new Dictionary<string, string>
        {
            ["client_id"] = "portal-opd",
            ["client_secret"] = Secret,
            ["response_type"] = "code",
            ["redirect_uri"] = SsoTestKit.RedirectUri.ToString(),
            ["scope"] = "openid profile",
            ["state"] = "st4te",
            ["code_challenge"] = challenge,
            ["code_challenge_method"] = "S256",
        });
        Assert.Equal(HttpStatusCode.Created, status);
        var requestUri = pushed.GetProperty("request_uri").GetString()!;
        var url = $"/connect/authorize?client_id=portal-opd&request_uri={Uri.EscapeDataString(requestUri)}";

        var callback = await _kit.AuthorizeAsync(url);
        var (redeemed, _) = await _kit.RedeemAsync(SsoTestKit.CodeFrom(callback), verifier);
        Assert.Equal(HttpStatusCode.OK, redeemed);

        using var replay = await _kit.Browser.GetAsync(new Uri(url, UriKind.Relative));
        Assert.Equal(HttpStatusCode.BadRequest, replay.StatusCode);
        Assert.Contains("<code id=\"kode-galat\">invalid_request_uri</code>", await replay.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_device_flow_is_pending_until_the_user_allows_it_on_the_verification_page()
    {
        await _kit.RegisterClientAsync(new NewClient("papan-antrian", "Papan Antrian", ["urn:ietf:params:oauth:grant-type:device_code"], [], [],
            ["profile", "opd"], Public: true, Secret: null));
        var (status, device) = await PostAsync("/connect/device", new Dictionary<string, string> { ["client_id"] = "papan-antrian", ["scope"] = "openid profile opd" });
        Assert.Equal(HttpStatusCode.OK, status);
        var poll = new Dictionary<string, string>
        {
            ["grant_type"] = "urn:ietf:params:oauth:grant-type:device_code",
            ["device_code"] = device.GetProperty("device_code").GetString()!,
            ["client_id"] = "papan-antrian",
        };
        var (pendingStatus, pending) = await _kit.TokenAsync(poll);
        Assert.Equal(HttpStatusCode.BadRequest, pendingStatus);
        Assert.Equal("authorization_pending", pending.GetProperty("error").GetString());

        using var login = await _kit.LoginAsync();
        var userCode = device.GetProperty("user_code").GetString()!;
        var verification = "/perangkat?user_code=" + Uri.EscapeDataString(userCode);
        var page = await _kit.Browser.GetStringAsync(new Uri(verification, UriKind.Relative));
        Assert.Contains("Papan Antrian", page, StringComparison.Ordinal);
        using var allowed = await _kit.SubmitFormAsync("/perangkat", page, new Dictionary<string, string> { ["user_code"] = userCode, ["decision"] = "izinkan" });
        Assert.True(allowed.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.Found, $"{allowed.StatusCode}");

        var (tokenStatus, tokens) = await _kit.TokenAsync(poll);
        Assert.Equal(HttpStatusCode.OK, tokenStatus);
        var idToken = SsoTestKit.Read(tokens, "id_token");
        Assert.Equal(SsoTestKit.Nip, idToken.GetClaim("nip").Value);
        Assert.Equal("papan-antrian", SsoTestKit.Read(tokens, "access_token").GetClaim("aud").Value);
    }

    [Fact]
    public async Task Token_exchange_gives_a_signing_api_token_on_behalf_of_the_user_and_nothing_else()
    {
        var tokens = await SignedInTokensAsync();
        var accessToken = tokens.GetProperty("access_token").GetString()!;
        var exchange = new Dictionary<string, string>
        {
            ["grant_type"] = "urn:ietf:params:oauth:grant-type:token-exchange",
            ["client_id"] = "portal-opd",
            ["client_secret"] = Secret,
            ["subject_token"] = accessToken,
            ["subject_token_type"] = "urn:ietf:params:oauth:token-type:access_token",
            ["audience"] = "spbe-tte",
        };

        var (status, exchanged) = await _kit.TokenAsync(exchange);

        Assert.Equal(HttpStatusCode.OK, status);
        var token = SsoTestKit.Read(exchanged, "access_token");
        Assert.Equal(["spbe-tte"], token.Audiences);
        Assert.Equal(SsoTestKit.Read(tokens, "access_token").Subject, token.Subject);
        Assert.Equal("portal-opd", JsonDocument.Parse(token.GetClaim("act").Value).RootElement.GetProperty("sub").GetString());
        Assert.Equal("urn:spbe:acr:pwd", token.GetClaim("acr").Value);

        var (wrongAudience, refused) = await _kit.TokenAsync(new Dictionary<string, string>(exchange) { ["audience"] = "portal-lain" });
        Assert.Equal(HttpStatusCode.BadRequest, wrongAudience);
        Assert.Equal("invalid_target", refused.GetProperty("error").GetString());

        await _kit.RegisterClientAsync(SsoTestKit.WebClient("portal-lain", "rahasia-klien-portal-lain-yang-panjang-32") with
        {
            Grants = ["authorization_code", "urn:ietf:params:oauth:grant-type:token-exchange"],
        });
        var (otherClient, laundering) = await _kit.TokenAsync(new Dictionary<string, string>(exchange)
        {
            ["client_id"] = "portal-lain",
            ["client_secret"] = "rahasia-klien-portal-lain-yang-panjang-32",
        });
        Assert.Equal(HttpStatusCode.BadRequest, otherClient);
        Assert.Equal("invalid_grant", laundering.GetProperty("error").GetString());
    }

    [Fact]
    public async Task Access_tokens_carry_the_client_as_audience_and_no_personal_data()
    {
        var tokens = await SignedInTokensAsync();
        var access = SsoTestKit.Read(tokens, "access_token");

        Assert.Equal(["portal-opd"], access.Audiences);
        Assert.Equal("DISKOMINFO", access.GetClaim("opd").Value);
        Assert.False(access.TryGetClaim("nip", out _));
        Assert.False(access.TryGetClaim("name", out _));
        Assert.Equal(SsoTestKit.Nip, SsoTestKit.Read(tokens, "id_token").GetClaim("nip").Value);
    }

    [Fact]
    public async Task Userinfo_with_a_client_credentials_token_is_refused_as_invalid_token()
    {
        await _kit.RegisterClientAsync(new NewClient("layanan-arsip", "Layanan Arsip", ["client_credentials"], [], [], [], Public: false,
            "rahasia-layanan-arsip-yang-panjang-sekali"));
        var (_, tokens) = await _kit.TokenAsync(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = "layanan-arsip",
            ["client_secret"] = "rahasia-layanan-arsip-yang-panjang-sekali",
        });
        using var request = new HttpRequestMessage(HttpMethod.Get, "/connect/userinfo");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", tokens.GetProperty("access_token").GetString());

        using var response = await _kit.Browser.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("invalid_token", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_third_party_client_asks_for_consent_once_and_a_refusal_is_access_denied()
    {
        await _kit.RegisterClientAsync(SsoTestKit.WebClient("aplikasi-mitra", "rahasia-aplikasi-mitra-yang-panjang-32") with { ThirdParty = true });
        var (verifier, challenge) = SsoTestKit.Pkce();
        var url = SsoTestKit.AuthorizeUrl("aplikasi-mitra", challenge, scope: "openid profile email");
        using var login = await _kit.LoginAsync();

        using var silent = await _kit.Browser.GetAsync(new Uri(url + "&prompt=none", UriKind.Relative));
        Assert.Contains("error=consent_required", silent.Headers.Location!.Query, StringComparison.Ordinal);

        using var toConsent = await _kit.Browser.GetAsync(new Uri(url, UriKind.Relative));
        var consentUrl = toConsent.Headers.Location!.ToString();
        Assert.StartsWith("/persetujuan", consentUrl, StringComparison.Ordinal);
        var page = await _kit.Browser.GetStringAsync(new Uri(consentUrl, UriKind.Relative));
        Assert.Contains("Alamat email", page, StringComparison.Ordinal);

        using var denied = await _kit.SubmitFormAsync(consentUrl, page, new Dictionary<string, string> { ["decision"] = "tolak" });
        using var deniedAnswer = await _kit.Browser.GetAsync(denied.Headers.Location);
        Assert.Contains("error=access_denied", deniedAnswer.Headers.Location!.Query, StringComparison.Ordinal);

        using var allowed = await _kit.SubmitFormAsync(consentUrl, page, new Dictionary<string, string> { ["decision"] = "izinkan" });
        using var allowedAnswer = await _kit.Browser.GetAsync(allowed.Headers.Location);
        Assert.Contains("code=", allowedAnswer.Headers.Location!.Query, StringComparison.Ordinal);

        using var again = await _kit.Browser.GetAsync(new Uri(url, UriKind.Relative));
        Assert.StartsWith(SsoTestKit.RedirectUri.ToString(), again.Headers.Location!.ToString(), StringComparison.Ordinal);
        Assert.Contains(_kit.SecurityEvents(), e => SsoTestKit.Field(e, "event", "action") == "sso-consent" && SsoTestKit.Field(e, "client", "id") == "aplikasi-mitra");
        _ = verifier;
    }

    [Fact]
    public async Task Prompt_login_cannot_be_skipped_by_replaying_the_way_back_from_the_login_page()
    {
        await SignedInTokensAsync();
        var (_, challenge) = SsoTestKit.Pkce();

        using var forced = await _kit.Browser.GetAsync(new Uri(SsoTestKit.AuthorizeUrl("portal-opd", challenge, extra: "&prompt=login"), UriKind.Relative));
        var returnUrl = QueryHelpers.ParseQuery(forced.Headers.Location!.Query)["ReturnUrl"].ToString();
        Assert.Contains("prompt=login", returnUrl, StringComparison.Ordinal);
        using var skipped = await _kit.Browser.GetAsync(new Uri(returnUrl, UriKind.Relative));
        Assert.Contains("/masuk", skipped.Headers.Location!.ToString(), StringComparison.Ordinal);

        using var forged = await _kit.Browser.GetAsync(new Uri(returnUrl.Split("&spbe_reauth=")[0] + "&spbe_reauth=palsu", UriKind.Relative));
        Assert.Contains("/masuk", forged.Headers.Location!.ToString(), StringComparison.Ordinal);

        using var login = await _kit.LoginAsync(returnUrl: returnUrl);
        using var after = await _kit.Browser.GetAsync(login.Headers.Location);
        Assert.StartsWith(SsoTestKit.RedirectUri.ToString(), after.Headers.Location!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Logout_without_a_hint_asks_first_and_with_a_hint_ends_the_session_and_notifies_the_back_channel()
    {
        var received = Channel.CreateUnbounded<string>();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        await using var receiver = builder.Build();
        receiver.MapPost("/backchannel", async (HttpRequest request) =>
        {
            var form = await request.ReadFormAsync();
            await received.Writer.WriteAsync(form["logout_token"].ToString());
            return Results.Ok();
        });
        await receiver.StartAsync();
        var address = new Uri(receiver.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
        await _kit.RegisterClientAsync(SsoTestKit.WebClient("portal-bc", "rahasia-klien-portal-bc-yang-panjang-32") with
        {
            BackchannelLogoutUri = new Uri(address, "/backchannel"),
        });
        var (verifier, challenge) = SsoTestKit.Pkce();
        var callback = await _kit.AuthorizeAsync(SsoTestKit.AuthorizeUrl("portal-bc", challenge));
        var (_, tokens) = await _kit.RedeemAsync(SsoTestKit.CodeFrom(callback), verifier, "portal-bc", "rahasia-klien-portal-bc-yang-panjang-32");

        using var ask = await _kit.Browser.GetAsync(new Uri("/connect/logout", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, ask.StatusCode);
        Assert.Contains("<form method=\"post\"", await ask.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var hint = tokens.GetProperty("id_token").GetString()!;
        using var logout = await _kit.Browser.GetAsync(new Uri("/connect/logout?id_token_hint=" + hint + "&post_logout_redirect_uri=" + Uri.EscapeDataString("https://rp.example.go.id/"), UriKind.Relative));
        Assert.Equal("https://rp.example.go.id/", logout.Headers.Location!.ToString());

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var logoutToken = await received.Reader.ReadAsync(timeout.Token);
        var jwks = new JsonWebKeySet(await _kit.Browser.GetStringAsync(new Uri("/.well-known/jwks", UriKind.Relative)));
        var validated = await new JsonWebTokenHandler().ValidateTokenAsync(logoutToken, new TokenValidationParameters
        {
            ValidIssuer = _kit.Browser.BaseAddress!.ToString(),
            ValidAudience = "portal-bc",
            IssuerSigningKeys = jwks.GetSigningKeys(),
            ValidTypes = ["logout+jwt"],
        });
        Assert.True(validated.IsValid, validated.Exception?.Message);
        var token = (JsonWebToken)validated.SecurityToken;
        Assert.Equal(SsoTestKit.Read(tokens, "id_token").Subject, token.Subject);
        Assert.True(JsonDocument.Parse(token.GetClaim("events").Value).RootElement.TryGetProperty("http://schemas.openid.net/event/backchannel-logout", out _));
        Assert.False(token.TryGetClaim("nonce", out _));

        var (silentVerifier, silentChallenge) = SsoTestKit.Pkce();
        using var afterLogout = await _kit.Browser.GetAsync(new Uri(SsoTestKit.AuthorizeUrl("portal-opd", silentChallenge, extra: "&prompt=none"), UriKind.Relative));
        Assert.Contains("error=login_required", afterLogout.Headers.Location!.Query, StringComparison.Ordinal);
        _ = silentVerifier;
        await WaitForAsync(() => _kit.SecurityEvents().Any(e => SsoTestKit.Field(e, "event", "action") == "sso-backchannel-logout"
            && SsoTestKit.Field(e, "event", "outcome") == "success"));
        Assert.Contains(_kit.SecurityEvents(), e => SsoTestKit.Field(e, "event", "action") == "sso-logout");
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        for (var i = 0; i < 100 && !condition(); i++)
        {
            await Task.Delay(100);
        }

        Assert.True(condition());
    }
}
