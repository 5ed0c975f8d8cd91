using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Spbe.Security.Identity.Accounts;
using Spbe.Security.Identity.Clients;
using Spbe.Security.Identity.Mfa;

namespace Spbe.Security.Host.Identity;

/// <summary>Drives the provider the way a browser and a relying party do, over real HTTPS.</summary>
internal sealed partial class SsoTestKit(SpbeHostFactory factory, string accountNip = SsoTestKit.Nip)
{
    public const string Nip = "198503302010011001";
    public const string Password = "kata-sandi-yang-panjang-1";
    public static readonly Uri RedirectUri = new("https://rp.example.go.id/callback");

    private readonly CookieContainer _cookies = new();
    private HttpClient? _browser;

    /// <summary>A client with the browser's cookie jar; redirects are not followed so that each hop can be checked.</summary>
    public HttpClient Browser => _browser ??= factory.CreateHttpsClient(_cookies);

    public async Task SeedAsync(params string[] roles)
    {
        _ = Browser;
        await using var scope = factory.Services.CreateAsyncScope();
        var created = await scope.ServiceProvider.GetRequiredService<AccountService>()
            .CreateAsync(new NewAccount(Nip, "Siti Rahmawati", "DISKOMINFO", "Kepala Bidang Persandian", "siti@kota.go.id", roles), Password);
        Assert.True(created.Succeeded, created.Reason);
    }

    public async Task<ClientResult> RegisterClientAsync(NewClient client)
    {
        _ = Browser;
        await using var scope = factory.Services.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<ClientService>().CreateAsync(client);
        Assert.True(result.Succeeded, result.Reason);
        return result;
    }

    public static NewClient WebClient(string id = "portal-opd", string? secret = "rahasia-klien-portal-opd-yang-panjang-32") =>
        new(id, "Portal OPD", ["authorization_code", "refresh_token"], [RedirectUri], [new Uri("https://rp.example.go.id/")],
            ["profile", "opd", "roles", "email", "offline_access"], Public: secret is null, secret);

    public static (string Verifier, string Challenge) Pkce()
    {
        var verifier = Base64Url(RandomNumberGenerator.GetBytes(32));
        return (verifier, Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))));
    }

    public static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static string AuthorizeUrl(string clientId, string challenge, string scope = "openid profile opd roles offline_access", string? extra = null, string method = "S256") =>
        $"/connect/authorize?response_type=code&client_id={clientId}&redirect_uri={Uri.EscapeDataString(RedirectUri.ToString())}" +
        $"&scope={Uri.EscapeDataString(scope)}&state=st4te&nonce=n0nce&code_challenge={challenge}&code_challenge_method={method}{extra}";

    /// <summary>Follows the login: authorize → login page → POST credentials → authorize → redirect with a code.</summary>
    /// <summary>A client calling the API with this account's access token, obtained by the authorization code flow of a
    /// confidential client (<paramref name="clientId"/>) for <paramref name="scope"/>.</summary>
    public async Task<HttpClient> BearerClientAsync(string clientId, string secret, string scope)
    {
        var (verifier, challenge) = Pkce();
        var callback = await AuthorizeAsync(AuthorizeUrl(clientId, challenge, scope: scope), Password);
        var (status, tokens) = await RedeemAsync(CodeFrom(callback), verifier, clientId, secret);
        Assert.Equal(HttpStatusCode.OK, status);
        var client = factory.CreateHttpsClient();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", tokens.GetProperty("access_token").GetString());
        return client;
    }

    public async Task<Uri> AuthorizeAsync(string url, string password = Password)
    {
        using var back = await SignInThroughAsync(url, password);
        Assert.Equal(HttpStatusCode.Found, back.StatusCode);
        return back.Headers.Location!;
    }

    /// <summary>Follows the login from an authorization URL and returns the authorization endpoint's final answer
    /// (a redirect to the application, or a form_post page).</summary>
    public async Task<HttpResponseMessage> SignInThroughAsync(string url, string password = Password)
    {
        var first = await Browser.GetAsync(new Uri(url, UriKind.Relative));
        if (first.StatusCode != HttpStatusCode.Found || !first.Headers.Location!.ToString().Contains("/masuk", StringComparison.Ordinal))
        {
            return first;
        }

        first.Dispose();
        var login = first.Headers.Location!;
        Assert.StartsWith("/masuk", login.IsAbsoluteUri ? login.PathAndQuery : login.ToString(), StringComparison.Ordinal);
        var page = await Browser.GetStringAsync(login);
        var token = AntiforgeryToken().Match(page).Groups[1].Value;
        var returnUrl = WebUtility.HtmlDecode(ReturnUrlField().Match(page).Groups[1].Value);
        using var posted = await Browser.PostAsync(login, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Input.Nip"] = accountNip,
            ["Input.Password"] = password,
            ["ReturnUrl"] = returnUrl,
            ["__RequestVerificationToken"] = token,
        }));
        Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
        return await Browser.GetAsync(posted.Headers.Location);
    }

    public static string CodeFrom(Uri callback)
    {
        var query = QueryHelpers.ParseQuery(callback.Query);
        Assert.Equal("st4te", query["state"].ToString());
        return query["code"].ToString();
    }

    public async Task<(HttpStatusCode Status, JsonElement Body)> TokenAsync(Dictionary<string, string> form)
    {
        using var response = await Browser.PostAsync(new Uri("/connect/token", UriKind.Relative), new FormUrlEncodedContent(form));
        return (response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>());
    }

    public Task<(HttpStatusCode Status, JsonElement Body)> RedeemAsync(string code, string verifier, string clientId = "portal-opd", string? secret = "rahasia-klien-portal-opd-yang-panjang-32")
    {
        var form = new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["code"] = code,
            ["code_verifier"] = verifier,
            ["redirect_uri"] = RedirectUri.ToString(),
            ["client_id"] = clientId,
        };
        if (secret is not null)
        {
            form["client_secret"] = secret;
        }

        return TokenAsync(form);
    }

    public Task<(HttpStatusCode Status, JsonElement Body)> RefreshAsync(string refreshToken) => TokenAsync(new Dictionary<string, string>
    {
        ["grant_type"] = "refresh_token",
        ["refresh_token"] = refreshToken,
        ["client_id"] = "portal-opd",
        ["client_secret"] = "rahasia-klien-portal-opd-yang-panjang-32",
    });

    public async Task<JsonElement> IntrospectAsync(string token, string clientId = "portal-opd", string secret = "rahasia-klien-portal-opd-yang-panjang-32")
    {
        using var response = await Browser.PostAsync(new Uri("/connect/introspect", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["token"] = token,
            ["client_id"] = clientId,
            ["client_secret"] = secret,
        }));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>GETs a page with a form, then POSTs <paramref name="fields"/> to it with the page's anti-forgery token
    /// (and its hidden ReturnUrl, unless given).</summary>
    public async Task<HttpResponseMessage> SubmitFormAsync(string pageUrl, Dictionary<string, string> fields) =>
        await SubmitFormAsync(pageUrl, await Browser.GetStringAsync(new Uri(pageUrl, UriKind.Relative)), fields);

    /// <summary>POSTs <paramref name="fields"/> to a page already fetched as <paramref name="page"/>.</summary>
    public async Task<HttpResponseMessage> SubmitFormAsync(string pageUrl, string page, Dictionary<string, string> fields)
    {
        var form = new Dictionary<string, string>(fields) { ["__RequestVerificationToken"] = AntiforgeryTokenIn(page) };
        if (!form.ContainsKey("ReturnUrl") && ReturnUrlField().Match(page) is { Success: true } returnUrl)
        {
            form["ReturnUrl"] = WebUtility.HtmlDecode(returnUrl.Groups[1].Value);
        }

        return await Browser.PostAsync(new Uri(pageUrl, UriKind.Relative), new FormUrlEncodedContent(form));
    }

    /// <summary>Signs in with the password on /masuk and returns the answer (a redirect on success or to the second step).</summary>
    public Task<HttpResponseMessage> LoginAsync(string password = Password, string returnUrl = "/") =>
        SubmitFormAsync("/masuk?ReturnUrl=" + Uri.EscapeDataString(returnUrl), new Dictionary<string, string>
        {
            ["Input.Nip"] = accountNip,
            ["Input.Password"] = password,
        });

    /// <summary>Redeems a code obtained through <paramref name="url"/> and returns the token response.</summary>
    public async Task<JsonElement> TokensThroughAsync(string url, string verifier)
    {
        using var back = await Browser.GetAsync(new Uri(url, UriKind.Relative));
        Assert.Equal(HttpStatusCode.Found, back.StatusCode);
        var (status, tokens) = await RedeemAsync(CodeFrom(back.Headers.Location!), verifier);
        Assert.Equal(HttpStatusCode.OK, status);
        return tokens;
    }

    /// <summary>The claims of a JWT, without validating it (for tests that validate elsewhere or only read).</summary>
    public static Microsoft.IdentityModel.JsonWebTokens.JsonWebToken Read(JsonElement tokens, string name) =>
        new(tokens.GetProperty(name).GetString());

    /// <summary>The security events written so far (data/events/identity.jsonl), one JSON document per line.</summary>
    public IReadOnlyList<JsonElement> SecurityEvents()
    {
        var path = Path.Combine(factory.DataDirectory, "events", "identity.jsonl");
        return File.Exists(path) ? [.. File.ReadAllLines(path).Select(l => JsonDocument.Parse(l).RootElement)] : [];
    }

    /// <summary>Decodes the base32 of an authenticator key as /akun/mfa shows it (RFC 4648, no padding).</summary>
    public static byte[] FromBase32(string text)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        var bytes = new List<byte>();
        int buffer = 0, bits = 0;
        foreach (var c in text.Trim())
        {
            var value = alphabet.IndexOf(c, StringComparison.Ordinal);
            Assert.True(value >= 0, $"'{c}' is not base32");
            buffer = (buffer << 5) | value;
            bits += 5;
            if (bits >= 8)
            {
                bytes.Add((byte)(buffer >> (bits - 8)));
                bits -= 8;
            }
        }

        Assert.Equal(20, bytes.Count);
        return [.. bytes];
    }

    /// <summary>The authenticator key an /akun/mfa page shows.</summary>
    public static byte[] AuthenticatorKeyIn(string page) => FromBase32(AuthenticatorKey().Match(page).Groups[1].Value);

    /// <summary>The anti-forgery token of the form on <paramref name="page"/>.</summary>
    public static string AntiforgeryTokenIn(string page) => AntiforgeryToken().Match(page).Groups[1].Value;

    /// <summary>Enrols an authenticator for this kit's account (signed in already) and returns its key.</summary>
    public async Task<byte[]> EnrolAuthenticatorAsync()
    {
        var page = await Browser.GetStringAsync(new Uri("/akun/mfa", UriKind.Relative));
        var secret = AuthenticatorKeyIn(page);
        using var confirmed = await SubmitFormAsync("/akun/mfa", page, new Dictionary<string, string>
        {
            ["Code"] = Totp.Compute(secret, Totp.StepOf(TimeProvider.System.GetUtcNow())),
        });
        Assert.Contains("kode-pemulihan", await confirmed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        return secret;
    }

    /// <summary>Signs in with the password and then a TOTP code one step ahead (so it is never the enrolment's code).</summary>
    public async Task LoginWithAuthenticatorAsync(byte[] secret, string returnUrl = "/")
    {
        using var login = await LoginAsync(returnUrl: returnUrl);
        Assert.StartsWith("/masuk/verifikasi", login.Headers.Location!.ToString(), StringComparison.Ordinal);
        using var second = await SubmitFormAsync(login.Headers.Location!.ToString(), new Dictionary<string, string>
        {
            ["Code"] = Totp.Compute(secret, Totp.StepOf(TimeProvider.System.GetUtcNow()) + 1),
        });
        Assert.Equal(HttpStatusCode.Redirect, second.StatusCode);
    }

    public static string Field(JsonElement e, string parent, string name) =>
        e.TryGetProperty(parent, out var p) && p.TryGetProperty(name, out var v) ? v.GetString() ?? string.Empty : string.Empty;

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();

    [GeneratedRegex("<code id=\"kunci-totp\">([A-Z2-7]+)</code>")]
    private static partial Regex AuthenticatorKey();

    [GeneratedRegex("id=\"ReturnUrl\" name=\"ReturnUrl\" value=\"([^\"]*)\"")]
    private static partial Regex ReturnUrlField();
}
