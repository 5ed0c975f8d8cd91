using Microsoft.Playwright;
using Spbe.Security.Identity.Mfa;
using Spbe.Security.Testing;
using static Spbe.Security.Host.BrowserPages;

namespace Spbe.Security.Host.Identity;

/// <summary>
/// Headless Chromium (Debian's package, driven by Playwright) on the real pages: password sign-in, TOTP enrolment and
/// sign-in with the second step, and a passkey registered and used through a virtual authenticator. The pages are
/// loaded as http://localhost (WebAuthn refuses IP literals and pages with certificate errors).
/// </summary>
[Trait("Category", "Database")]
public sealed class BrowserSignInTests : IAsyncLifetime
{
    private TestDatabase _database = null!;
    private SpbeHostFactory _factory = null!;
    private SsoTestKit _kit = null!;
    private IPlaywright? _playwright;
    private IBrowser? _browser;
    private string _base = string.Empty;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync();
        _factory = new SpbeHostFactory(_database);
        _kit = new SsoTestKit(_factory);
        await _kit.SeedAsync("signer");
        using var http = _factory.CreateHttpClient();
        _base = $"http://localhost:{http.BaseAddress!.Port}";
        (_playwright, _browser) = await LaunchAsync();
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
        await _factory.DisposeAsync();
        await _database.DisposeAsync();
    }

    private async Task SignInWithPasswordAsync(IPage page)
    {
        await GoAsync(page, _base + "/masuk");
        Assert.Equal("id", await page.GetAttributeAsync("html", "lang"));
        await page.FillAsync("#Input_Nip", SsoTestKit.Nip);
        await page.FillAsync("#Input_Password", SsoTestKit.Password);
        await page.ClickAsync("form:not(#form-passkey) button[type=submit]");
    }

    [Fact]
    public async Task A_browser_that_prefers_english_gets_the_pages_in_english()
    {
        if (_browser is null)
        {
            return;
        }

        await using var context = await _browser.NewContextAsync(new BrowserNewContextOptions { Locale = "en-US" });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(60_000);
        await GoAsync(page, _base + "/masuk");

        Assert.Equal("en", await page.GetAttributeAsync("html", "lang"));
        Assert.Equal("Sign in", await page.InnerTextAsync("h1"));
        Assert.Equal("Password", await page.InnerTextAsync("label[for=Input_Password]"));
    }

    [Fact]
    public async Task A_person_enrols_an_authenticator_and_then_signs_in_with_the_code()
    {
        if (_browser is null)
        {
            return;
        }

        await using var context = await _browser.NewContextAsync(new BrowserNewContextOptions { Locale = "id-ID" });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(60_000);
        await SignInWithPasswordAsync(page);
        await ArriveAsync(page, url => url == _base + "/");

        await GoAsync(page, _base + "/akun/mfa");
        var secret = SsoTestKit.FromBase32(await page.InnerTextAsync("#kunci-totp"));
        await page.FillAsync("#Code", Totp.Compute(secret, Totp.StepOf(TimeProvider.System.GetUtcNow())));
        await page.ClickAsync("button[type=submit]");
        await page.WaitForSelectorAsync("#kode-pemulihan");
        Assert.Equal(MfaService.RecoveryCodeCount, await page.Locator("#kode-pemulihan li").CountAsync());

        await context.ClearCookiesAsync();
        await SignInWithPasswordAsync(page);
        await ArriveAsync(page, url => url.Contains("/masuk/verifikasi", StringComparison.Ordinal));
        await page.FillAsync("#Code", Totp.Compute(secret, Totp.StepOf(TimeProvider.System.GetUtcNow()) + 1));
        await page.ClickAsync("form:not(#form-passkey) button[type=submit]");
        await ArriveAsync(page, url => url == _base + "/");
        Assert.Contains(_kit.SecurityEvents(), e => SsoTestKit.Field(e, "event", "action") == "sso-login" && SsoTestKit.Field(e, "event", "reason") == "pwd+otp");
    }

    [Fact]
    public async Task A_person_registers_a_passkey_and_signs_in_with_it_without_a_password()
    {
        if (_browser is null)
        {
            return;
        }

        await using var context = await _browser.NewContextAsync(new BrowserNewContextOptions { Locale = "id-ID" });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(60_000);
        var cdp = await context.NewCDPSessionAsync(page);
        await cdp.SendAsync("WebAuthn.enable");
        await cdp.SendAsync("WebAuthn.addVirtualAuthenticator", new Dictionary<string, object>
        {
            ["options"] = new Dictionary<string, object>
            {
                ["protocol"] = "ctap2", ["transport"] = "internal", ["hasResidentKey"] = true, ["hasUserVerification"] = true,
                ["isUserVerified"] = true, ["automaticPresenceSimulation"] = true,
            },
        });

        await SignInWithPasswordAsync(page);
        await ArriveAsync(page, url => url == _base + "/");
        await GoAsync(page, _base + "/akun/passkey");
        await page.ClickAsync("#daftar-passkey");
        await page.WaitForSelectorAsync("#passkey-terdaftar, .error:not([hidden])", new PageWaitForSelectorOptions { Timeout = 15_000 });
        Assert.True(await page.IsVisibleAsync("#passkey-terdaftar"), string.Join("\n", _kit.SecurityEvents().Select(e => e.GetRawText()).TakeLast(2)) + await page.InnerTextAsync("main"));
        Assert.Equal("1", await page.InnerTextAsync("#jumlah-passkey"));

        await context.ClearCookiesAsync();
        await GoAsync(page, _base + "/masuk");
        await page.ClickAsync("#masuk-passkey");
        await ArriveAsync(page, url => !url.Contains("handler=PasskeyOptions", StringComparison.Ordinal) && (url == _base + "/" || url.Contains("handler=Passkey", StringComparison.Ordinal)));
        Assert.True(page.Url == _base + "/", page.Url + " " + string.Join("\n", _kit.SecurityEvents().Select(e => e.GetRawText()).TakeLast(1)));
        await GoAsync(page, _base + "/akun/passkey");
        Assert.Equal("1", await page.InnerTextAsync("#jumlah-passkey"));
        Assert.Contains(_kit.SecurityEvents(), e => SsoTestKit.Field(e, "event", "action") == "sso-login"
            && SsoTestKit.Field(e, "event", "outcome") == "success" && SsoTestKit.Field(e, "event", "reason") == "passkey");
    }

    [Fact]
    public async Task After_the_password_a_passkey_serves_as_the_second_step()
    {
        if (_browser is null)
        {
            return;
        }

        await using var context = await _browser.NewContextAsync(new BrowserNewContextOptions { Locale = "id-ID" });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(60_000);
        var cdp = await context.NewCDPSessionAsync(page);
        await cdp.SendAsync("WebAuthn.enable");
        await cdp.SendAsync("WebAuthn.addVirtualAuthenticator", new Dictionary<string, object>
        {
            ["options"] = new Dictionary<string, object>
            {
                ["protocol"] = "ctap2", ["transport"] = "internal", ["hasResidentKey"] = true, ["hasUserVerification"] = true,
                ["isUserVerified"] = true, ["automaticPresenceSimulation"] = true,
            },
        });
        await SignInWithPasswordAsync(page);
        await ArriveAsync(page, url => url == _base + "/");
        await GoAsync(page, _base + "/akun/mfa");
        var secret = SsoTestKit.FromBase32(await page.InnerTextAsync("#kunci-totp"));
        await page.FillAsync("#Code", Totp.Compute(secret, Totp.StepOf(TimeProvider.System.GetUtcNow())));
        await page.ClickAsync("button[type=submit]");
        await page.WaitForSelectorAsync("#kode-pemulihan");
        await GoAsync(page, _base + "/akun/passkey");
        await page.ClickAsync("#daftar-passkey");
        await page.WaitForSelectorAsync("#passkey-terdaftar");

        await context.ClearCookiesAsync();
        await SignInWithPasswordAsync(page);
        await ArriveAsync(page, url => url.Contains("/masuk/verifikasi", StringComparison.Ordinal));
        await page.ClickAsync("#verifikasi-passkey");
        try
        {
            await ArriveAsync(page, url => url == _base + "/" || url.Contains("handler=Passkey", StringComparison.Ordinal));
        }
        catch (TimeoutException)
        {
            Assert.Fail($"no navigation after the passkey button (now at {page.Url}): " + await page.EvaluateAsync<string>("() => document.body ? document.body.innerText : ''"));
        }

        Assert.True(page.Url == _base + "/", string.Join("\n", _kit.SecurityEvents().Select(e => e.GetRawText()).TakeLast(1)));
        Assert.Contains(_kit.SecurityEvents(), e => SsoTestKit.Field(e, "event", "action") == "sso-login" && SsoTestKit.Field(e, "event", "reason") == "pwd+passkey");
    }
}
