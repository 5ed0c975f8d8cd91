using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Spbe.Security.Identity.Accounts;
using Spbe.Security.Identity.Mfa;
using Spbe.Security.Testing;

namespace Spbe.Security.Host.Identity;

/// <summary>Second factors through the real pages: TOTP enrolment and sign-in, replay refusal, recovery codes,
/// step-up by <c>acr_values</c>, reset by an administrator, and the account lockout back-off.</summary>
[Trait("Category", "Database")]
public sealed partial class SsoMfaTests : IAsyncLifetime
{
    private const string MfaAcr = "urn:spbe:acr:mfa";
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

    /// <summary>Signs in with the password, enrols an authenticator on /akun/mfa and returns its secret and the
    /// recovery codes shown.</summary>
    private async Task<(byte[] Secret, string[] RecoveryCodes)> EnrolAsync(SsoTestKit kit)
    {
        using var login = await kit.LoginAsync();
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        var page = await kit.Browser.GetStringAsync(new Uri("/akun/mfa", UriKind.Relative));
        var secret = SsoTestKit.AuthenticatorKeyIn(page);
        Assert.Contains("<svg", page, StringComparison.Ordinal);

        using var confirmed = await kit.SubmitFormAsync("/akun/mfa", page, new Dictionary<string, string> { ["Code"] = CodeAt(secret, 0) });
        var result = await confirmed.Content.ReadAsStringAsync();
        var codes = RecoveryCode().Matches(result).Select(m => m.Groups[1].Value).ToArray();
        Assert.Equal(MfaService.RecoveryCodeCount, codes.Length);
        return (secret, codes);
    }

    private static string CodeAt(byte[] secret, int stepsFromNow) =>
        Totp.Compute(secret, Totp.StepOf(TimeProvider.System.GetUtcNow()) + stepsFromNow);

    /// <summary>A fresh browser signs in with the password and lands on the second-factor page.</summary>
    private async Task<SsoTestKit> PasswordStepAsync()
    {
        var browser = new SsoTestKit(_factory);
        using var login = await browser.LoginAsync();
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        Assert.StartsWith("/masuk/verifikasi", login.Headers.Location!.ToString(), StringComparison.Ordinal);
        return browser;
    }

    private static Task<HttpResponseMessage> SecondStepAsync(SsoTestKit browser, string code) =>
        browser.SubmitFormAsync("/masuk/verifikasi?ReturnUrl=%2F", new Dictionary<string, string> { ["Code"] = code });

    [Fact]
    public async Task A_totp_sign_in_yields_mfa_acr_and_amr_and_a_used_code_is_refused_the_second_time()
    {
        var (secret, _) = await EnrolAsync(_kit);

        var browser = await PasswordStepAsync();
        var code = CodeAt(secret, 1);
        using var accepted = await SecondStepAsync(browser, code);
        Assert.Equal(HttpStatusCode.Redirect, accepted.StatusCode);

        var (verifier, challenge) = SsoTestKit.Pkce();
        var tokens = await browser.TokensThroughAsync(SsoTestKit.AuthorizeUrl("portal-opd", challenge), verifier);
        var idToken = SsoTestKit.Read(tokens, "id_token");
        Assert.Equal(MfaAcr, idToken.GetClaim("acr").Value);
        Assert.Equal(["mfa", "otp", "pwd"], idToken.Claims.Where(c => c.Type == "amr").Select(c => c.Value).Order(StringComparer.Ordinal));

        var replay = await PasswordStepAsync();
        using var refused = await SecondStepAsync(replay, code);
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Contains("sudah dipakai", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains(_kit.SecurityEvents(), e => SsoTestKit.Field(e, "event", "action") == "sso-mfa" && SsoTestKit.Field(e, "event", "reason") == "replayed-code");
    }

    [Fact]
    public async Task A_recovery_code_signs_in_once_only()
    {
        var (_, codes) = await EnrolAsync(_kit);

        var first = await PasswordStepAsync();
        using var accepted = await SecondStepAsync(first, codes[3].ToLowerInvariant());
        Assert.Equal(HttpStatusCode.Redirect, accepted.StatusCode);

        var second = await PasswordStepAsync();
        using var refused = await SecondStepAsync(second, codes[3]);
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        var left = await first.Browser.GetStringAsync(new Uri("/akun/mfa", UriKind.Relative));
        Assert.Contains($"<strong id=\"sisa-kode\">{MfaService.RecoveryCodeCount - 1}</strong>", left, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Acr_values_mfa_steps_a_password_session_up_through_enrolment()
    {
        using var login = await _kit.LoginAsync();
        var (verifier, challenge) = SsoTestKit.Pkce();
        var url = SsoTestKit.AuthorizeUrl("portal-opd", challenge, extra: "&acr_values=" + Uri.EscapeDataString(MfaAcr));

        using var silent = await _kit.Browser.GetAsync(new Uri(url + "&prompt=none", UriKind.Relative));
        Assert.Contains("error=interaction_required", silent.Headers.Location!.Query, StringComparison.Ordinal);

        using var stepUp = await _kit.Browser.GetAsync(new Uri(url, UriKind.Relative));
        Assert.StartsWith("/masuk/verifikasi", stepUp.Headers.Location!.ToString(), StringComparison.Ordinal);
        using var enrolFirst = await _kit.Browser.GetAsync(stepUp.Headers.Location);
        Assert.StartsWith("/akun/mfa", enrolFirst.Headers.Location!.ToString(), StringComparison.Ordinal);
        var page = await _kit.Browser.GetStringAsync(enrolFirst.Headers.Location);
        var secret = SsoTestKit.AuthenticatorKeyIn(page);
        using var enrolled = await _kit.SubmitFormAsync(enrolFirst.Headers.Location!.ToString(), page, new Dictionary<string, string> { ["Code"] = CodeAt(secret, 0) });
        var continueUrl = WebUtility.HtmlDecode(ContinueLink().Match(await enrolled.Content.ReadAsStringAsync()).Groups[1].Value);
        Assert.StartsWith("/connect/authorize", continueUrl, StringComparison.Ordinal);

        var tokens = await _kit.TokensThroughAsync(continueUrl, verifier);

        Assert.Equal(MfaAcr, SsoTestKit.Read(tokens, "id_token").GetClaim("acr").Value);
        Assert.Equal(MfaAcr, SsoTestKit.Read(tokens, "access_token").GetClaim("acr").Value);
    }

    [Fact]
    public async Task A_password_only_session_reports_the_password_acr()
    {
        var (verifier, challenge) = SsoTestKit.Pkce();
        var callback = await _kit.AuthorizeAsync(SsoTestKit.AuthorizeUrl("portal-opd", challenge));
        var (_, tokens) = await _kit.RedeemAsync(SsoTestKit.CodeFrom(callback), verifier);

        Assert.Equal("urn:spbe:acr:pwd", SsoTestKit.Read(tokens, "id_token").GetClaim("acr").Value);
        var discovery = await _kit.Browser.GetStringAsync(new Uri("/.well-known/openid-configuration", UriKind.Relative));
        Assert.Contains(MfaAcr, discovery, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reset_mfa_removes_the_second_step_and_is_recorded()
    {
        await EnrolAsync(_kit);
        await using (var scope = _factory.Services.CreateAsyncScope())
        {
            var reset = await scope.ServiceProvider.GetRequiredService<MfaService>().ResetAsync(SsoTestKit.Nip, actor: "198001012005011002");
            Assert.True(reset.Succeeded);
        }

        var browser = new SsoTestKit(_factory);
        using var login = await browser.LoginAsync();
        Assert.Equal("/", login.Headers.Location!.ToString());
        Assert.Contains(_kit.SecurityEvents(), e => SsoTestKit.Field(e, "event", "action") == "sso-mfa-reset"
            && e.GetProperty("source").GetProperty("user").GetProperty("name").GetString() == "198001012005011002");
    }

    [Fact]
    public async Task Each_lockout_in_a_row_lasts_twice_as_long_and_a_sign_in_resets_the_streak()
    {
        await using var scope = _factory.Services.CreateAsyncScope();
        var users = (SpbeUserManager)scope.ServiceProvider.GetRequiredService<UserManager<AsnUser>>();
        var user = (await users.FindByNameAsync(SsoTestKit.Nip))!;

        async Task<TimeSpan> LockOutAsync()
        {
            for (var i = 0; i < 5; i++)
            {
                await users.AccessFailedAsync(user);
            }

            var end = (await users.GetLockoutEndDateAsync(user))!.Value - TimeProvider.System.GetUtcNow();
            await users.SetLockoutEndDateAsync(user, TimeProvider.System.GetUtcNow().AddSeconds(-1));
            return end;
        }

        var first = await LockOutAsync();
        var second = await LockOutAsync();
        var third = await LockOutAsync();

        Assert.InRange(first.TotalMinutes, 4.9, 5.0);
        Assert.InRange(second.TotalMinutes, 9.9, 10.0);
        Assert.InRange(third.TotalMinutes, 19.9, 20.0);
        using var login = await _kit.LoginAsync();
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        await using var after = _factory.Services.CreateAsyncScope();
        var fresh = (SpbeUserManager)after.ServiceProvider.GetRequiredService<UserManager<AsnUser>>();
        Assert.Equal(0, await fresh.LockoutStreakAsync((await fresh.FindByNameAsync(SsoTestKit.Nip))!));
    }

    [GeneratedRegex("<li><code>([A-Z0-9]{5}-[A-Z0-9]{5})</code></li>")]
    private static partial Regex RecoveryCode();

    [GeneratedRegex("<a class=\"button\" href=\"([^\"]+)\"")]
    private static partial Regex ContinueLink();
}
