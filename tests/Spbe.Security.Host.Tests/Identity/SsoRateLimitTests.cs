using System.Net;
using Spbe.Security.Testing;

namespace Spbe.Security.Host.Identity;

/// <summary>The per-address limit on sign-in submissions, on top of the per-account lockout.</summary>
[Trait("Category", "Database")]
public sealed class SsoRateLimitTests : IAsyncLifetime
{
    private TestDatabase _database = null!;
    private SpbeHostFactory _factory = null!;
    private SsoTestKit _kit = null!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync();
        _factory = new SpbeHostFactory(_database, new KeyValuePair<string, string?>("Sso:SignInAttemptsPerMinute", "3"));
        _kit = new SsoTestKit(_factory);
        await _kit.SeedAsync();
    }

    public async Task DisposeAsync()
    {
        await _factory.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task Password_spraying_from_one_address_is_slowed_to_the_configured_rate_with_one_generic_message()
    {
        for (var attempt = 0; attempt < 3; attempt++)
        {
            using var wrong = await _kit.LoginAsync(password: "salah-salah-salah-salah");
            Assert.Equal(HttpStatusCode.OK, wrong.StatusCode);
            Assert.Contains("NIP atau kata sandi salah", await wrong.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using var limited = await _kit.LoginAsync();

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal("60", limited.Headers.RetryAfter!.ToString());
        // Note: the right password did not get through: the browser is still not signed in.
        using var account = await _kit.Browser.GetAsync(new Uri("/akun/mfa", UriKind.Relative));
        Assert.Contains("/masuk", account.Headers.Location!.ToString(), StringComparison.Ordinal);
        Assert.Contains(_kit.SecurityEvents(), e => SsoTestKit.Field(e, "event", "action") == "sso-rate-limited" && SsoTestKit.Field(e, "source", "ip") == "127.0.0.1");
    }
}
