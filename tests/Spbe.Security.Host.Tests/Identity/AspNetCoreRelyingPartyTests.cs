using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Spbe.Security.Identity.Clients;
using Spbe.Security.Testing;

namespace Spbe.Security.Host.Identity;

/// <summary>An ASP.NET Core application using Microsoft's OpenID Connect handler with its defaults (PAR when
/// advertised, form_post) signs its user in through the provider: discovery, the pushed request with PKCE, the
/// back-channel code exchange and id_token validation are all the library's.</summary>
[Trait("Category", "Database")]
public sealed class AspNetCoreRelyingPartyTests : IAsyncLifetime
{
    private const string Secret = "rahasia-aplikasi-aspnet-yang-panjang-sekali";
    private TestDatabase _database = null!;
    private SpbeHostFactory _provider = null!;
    private WebApplication _rp = null!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync();
        _provider = new SpbeHostFactory(_database);
        var kit = new SsoTestKit(_provider);
        await kit.SeedAsync("csirt-analyst");
        var authority = kit.Browser.BaseAddress!;

        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        builder.Services.AddAuthentication(o =>
            {
                o.DefaultScheme = CookieAuthenticationDefaults.AuthenticationScheme;
                o.DefaultChallengeScheme = OpenIdConnectDefaults.AuthenticationScheme;
            })
            .AddCookie()
            .AddOpenIdConnect(o =>
            {
                o.Authority = authority.ToString();
                o.ClientId = "aplikasi-aspnet";
                o.ClientSecret = Secret;
                o.ResponseType = "code";
                o.UsePkce = true;
                o.Scope.Add("profile");
                o.Scope.Add("opd");
                o.Scope.Add("roles");
                o.GetClaimsFromUserInfoEndpoint = true;
                o.MapInboundClaims = false;
                o.BackchannelHttpHandler = _provider.CreateHttpsHandler();
                o.CorrelationCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.CorrelationCookie.SameSite = SameSiteMode.Lax;
                o.NonceCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.NonceCookie.SameSite = SameSiteMode.Lax;
            });
        _rp = builder.Build();
        _rp.UseAuthentication();
        _rp.MapGet("/profil", (ClaimsPrincipal user) => user.Identity?.IsAuthenticated == true
            ? Results.Text($"{user.FindFirst("nip")?.Value}|{user.FindFirst("opd")?.Value}|{user.FindFirst("role")?.Value}")
            : Results.Challenge());
        await _rp.StartAsync();

        var rpAddress = new Uri(_rp.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
        await kit.RegisterClientAsync(new NewClient("aplikasi-aspnet", "Aplikasi ASP.NET", ["authorization_code"],
            [new Uri(rpAddress, "/signin-oidc")], [], ["profile", "opd", "roles"], Public: false, Secret));
        RpAddress = rpAddress;
        Kit = kit;
    }

    private Uri RpAddress { get; set; } = null!;

    private SsoTestKit Kit { get; set; } = null!;

    public async Task DisposeAsync()
    {
        await _rp.DisposeAsync();
        await _provider.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task The_aspnetcore_openidconnect_handler_signs_a_user_in_with_its_defaults_par_and_form_post()
    {
        var cookies = new CookieContainer();
        using var rp = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = cookies }) { BaseAddress = RpAddress };

        // 1. The RP pushes its authorization request (PAR, advertised in discovery) and sends the browser with a request_uri.
        using var challenge = await rp.GetAsync(new Uri("/profil", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Redirect, challenge.StatusCode);
        var authorize = challenge.Headers.Location!;
        Assert.Contains("request_uri=urn%3Aietf%3Aparams%3Aoauth%3Arequest_uri%3A", authorize.Query, StringComparison.Ordinal);
        Assert.DoesNotContain("code_challenge", authorize.Query, StringComparison.Ordinal);

        // 2. The browser signs in; the handler's default response_mode=form_post answers with a self-submitting form
        //    whose one inline script the page's CSP admits by hash.
        using var answer = await Kit.SignInThroughAsync(authorize.PathAndQuery);
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Contains(Hosting.SecurityHeadersMiddleware.FormPostScriptHash, answer.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        var page = await answer.Content.ReadAsStringAsync();
        var action = System.Text.RegularExpressions.Regex.Match(page, "action=\"([^\"]+)\"").Groups[1].Value;
        Assert.Equal(new Uri(RpAddress, "/signin-oidc").ToString(), WebUtility.HtmlDecode(action));
        var fields = System.Text.RegularExpressions.Regex.Matches(page, "name=\"([^\"]+)\" value=\"([^\"]*)\"")
            .ToDictionary(m => WebUtility.HtmlDecode(m.Groups[1].Value), m => WebUtility.HtmlDecode(m.Groups[2].Value));
        Assert.Contains("code", fields.Keys);

        // 3. The RP redeems the code on the back channel, validates the id_token and sets its own session.
        foreach (Cookie cookie in cookies.GetAllCookies())
        {
            cookie.Secure = false;
        }

        using var signedIn = await rp.PostAsync(new Uri("/signin-oidc", UriKind.Relative), new FormUrlEncodedContent(fields));
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        var profile = await rp.GetStringAsync(signedIn.Headers.Location);

        Assert.Equal($"{SsoTestKit.Nip}|DISKOMINFO|csirt-analyst", profile);
    }
}
