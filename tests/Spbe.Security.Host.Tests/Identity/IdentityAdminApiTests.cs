using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Spbe.Security.Identity.Accounts;
using Spbe.Security.Testing;

namespace Spbe.Security.Host.Identity;

/// <summary>The admin API: bearer tokens with the spbe.admin scope, roles re-read on every call, an opd-admin
/// confined to its own OPD, client management for admins only, and every change recorded with who made it.</summary>
[Trait("Category", "Database")]
public sealed class IdentityAdminApiTests : IAsyncLifetime
{
    private const string AdminNip = "198001012005011002";
    private const string OpdAdminNip = "198202022006042003";
    private const string BappedaStaff = "199003032015031004";
    private const string DinkesStaff = "199104042016042005";
    private const string BappedaAnalyst = "199306062018061007";
    private const string Password = "kata-sandi-yang-panjang-1";
    private const string ConsoleSecret = "rahasia-konsol-admin-yang-panjang-sekali";
    private TestDatabase _database = null!;
    private SpbeHostFactory _factory = null!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync();
        // Note: most tests sign in with a password only; the MFA requirement has its own test below.
        _factory = new SpbeHostFactory(_database, new KeyValuePair<string, string?>("Sso:AdminApiRequiresMfa", "false"));
        var kit = new SsoTestKit(_factory);
        _ = kit.Browser;
        await using var scope = _factory.Services.CreateAsyncScope();
        var accounts = scope.ServiceProvider.GetRequiredService<AccountService>();
        foreach (var (nip, opd, roles) in new[]
        {
            (AdminNip, "DISKOMINFO", new[] { "admin" }), (OpdAdminNip, "BAPPEDA", ["opd-admin"]),
            (BappedaStaff, "BAPPEDA", []), (DinkesStaff, "DINKES", []), (SsoTestKit.Nip, "DISKOMINFO", ["signer"]),
            (BappedaAnalyst, "BAPPEDA", ["csirt-analyst"]),
        })
        {
            Assert.True((await accounts.CreateAsync(new NewAccount(nip, "ASN " + nip[^3..], opd, null, null, roles), Password)).Succeeded);
        }

        await kit.RegisterClientAsync(SsoTestKit.WebClient("konsol-admin", ConsoleSecret) with { Scopes = ["profile", "spbe.admin"] });
        await kit.RegisterClientAsync(SsoTestKit.WebClient());
    }

    public async Task DisposeAsync()
    {
        await _factory.DisposeAsync();
        await _database.DisposeAsync();
    }

    private async Task<HttpClient> AdminClientAsync(string nip, string clientId = "konsol-admin", string secret = ConsoleSecret, string scope = "openid spbe.admin")
    {
        var kit = new SsoTestKit(_factory, nip);
        var (verifier, challenge) = SsoTestKit.Pkce();
        var callback = await kit.AuthorizeAsync(SsoTestKit.AuthorizeUrl(clientId, challenge, scope: scope), Password);
        var (status, tokens) = await kit.RedeemAsync(SsoTestKit.CodeFrom(callback), verifier, clientId, secret);
        Assert.Equal(HttpStatusCode.OK, status);
        var client = _factory.CreateHttpsClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", tokens.GetProperty("access_token").GetString());
        return client;
    }

    private static async Task<string> CodeOf(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString()!;

    [Fact]
    public async Task Without_a_token_or_with_a_token_for_another_audience_the_api_refuses()
    {
        using var anonymous = _factory.CreateHttpsClient();
        using var none = await anonymous.GetAsync(new Uri("/api/identity/users", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
        Assert.Equal("IDN-0012", await CodeOf(none));

        // Note: an admin's token issued to an ordinary application (no spbe.admin scope) is not an admin API token.
        using var portal = await AdminClientAsync(AdminNip, "portal-opd", "rahasia-klien-portal-opd-yang-panjang-32", "openid profile");
        using var wrongAudience = await portal.GetAsync(new Uri("/api/identity/users", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Forbidden, wrongAudience.StatusCode);

        using var staff = await AdminClientAsync(BappedaStaff);
        using var noRole = await staff.GetAsync(new Uri("/api/identity/users", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Forbidden, noRole.StatusCode);
        Assert.Equal("IDN-0011", await CodeOf(noRole));
    }

    [Fact]
    public async Task An_opd_admin_sees_and_manages_only_its_own_opd()
    {
        using var api = await AdminClientAsync(OpdAdminNip);

        var listed = await api.GetFromJsonAsync<JsonElement>("/api/identity/users?opd=DINKES");
        Assert.All(listed.EnumerateArray(), u => Assert.Equal("BAPPEDA", u.GetProperty("opd").GetString()));
        Assert.Contains(listed.EnumerateArray(), u => u.GetProperty("nip").GetString() == BappedaStaff);

        using var foreign = await api.PostAsync(new Uri($"/api/identity/users/{DinkesStaff}/disable", UriKind.Relative), null);
        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
        using var higher = await api.PostAsync(new Uri($"/api/identity/users/{BappedaAnalyst}/reset-mfa", UriKind.Relative), null);
        Assert.Equal(HttpStatusCode.Forbidden, higher.StatusCode);
        using var self = await api.PostAsync(new Uri($"/api/identity/users/{OpdAdminNip}/disable", UriKind.Relative), null);
        Assert.Equal(HttpStatusCode.Forbidden, self.StatusCode);
        using var own = await api.PostAsync(new Uri($"/api/identity/users/{BappedaStaff}/reset-mfa", UriKind.Relative), null);
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);

        using var elsewhere = await api.PostAsJsonAsync("/api/identity/users", new
        {
            nip = "199205052017051006", name = "Baru", opd = "DINKES", password = Password,
        });
        Assert.Equal(HttpStatusCode.Forbidden, elsewhere.StatusCode);
        using var escalation = await api.PostAsJsonAsync("/api/identity/users", new
        {
            nip = "199205052017051006", name = "Baru", opd = "BAPPEDA", roles = new[] { "admin" }, password = Password,
        });
        Assert.Equal(HttpStatusCode.Forbidden, escalation.StatusCode);
        using var created = await api.PostAsJsonAsync("/api/identity/users", new
        {
            nip = "199205052017051006", name = "Baru", opd = "BAPPEDA", roles = new[] { "signer" }, password = Password,
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        using var clients = await api.GetAsync(new Uri("/api/identity/clients", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Forbidden, clients.StatusCode);
    }

    [Fact]
    public async Task An_admin_manages_accounts_and_clients_and_each_change_names_the_admin()
    {
        using var api = await AdminClientAsync(AdminNip);

        using var disabled = await api.PostAsync(new Uri($"/api/identity/users/{DinkesStaff}/disable", UriKind.Relative), null);
        Assert.Equal(HttpStatusCode.OK, disabled.StatusCode);
        using var duplicate = await api.PostAsJsonAsync("/api/identity/users", new { nip = DinkesStaff, name = "Lagi", opd = "DINKES", password = Password });
        Assert.Equal(HttpStatusCode.Conflict, duplicate.StatusCode);
        Assert.Equal("IDN-0004", await CodeOf(duplicate));

        using var created = await api.PostAsJsonAsync("/api/identity/clients", new
        {
            clientId = "aplikasi-baru", grants = new[] { "client_credentials" }, @public = false, thirdParty = false,
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var secret = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("client_secret").GetString();
        Assert.True(secret!.Length >= 40);
        using var rotated = await api.PostAsync(new Uri("/api/identity/clients/aplikasi-baru/rotate-secret", UriKind.Relative), null);
        Assert.NotEqual(secret, (await rotated.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("client_secret").GetString());
        using var removed = await api.DeleteAsync(new Uri("/api/identity/clients/aplikasi-baru", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);
        using var gone = await api.DeleteAsync(new Uri("/api/identity/clients/aplikasi-baru", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);

        var events = new SsoTestKit(_factory).SecurityEvents();
        Assert.Contains(events, e => SsoTestKit.Field(e, "event", "action") == "sso-account-disabled" && SsoTestKit.Field(e, "user", "name") == DinkesStaff
            && e.GetProperty("source").GetProperty("user").GetProperty("name").GetString() == AdminNip);
        Assert.Equal(3, events.Count(e => SsoTestKit.Field(e, "client", "id") == "aplikasi-baru"
            && e.TryGetProperty("source", out var source) && source.GetProperty("user").GetProperty("name").GetString() == AdminNip));
        Assert.DoesNotContain(events, e => e.GetRawText().Contains(secret, StringComparison.Ordinal));
    }

    [Fact]
    public async Task With_the_default_settings_a_password_only_admin_token_is_refused()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var strict = new SpbeHostFactory(database);
        var kit = new SsoTestKit(strict, AdminNip);
        _ = kit.Browser;
        await using (var scope = strict.Services.CreateAsyncScope())
        {
            var created = await scope.ServiceProvider.GetRequiredService<AccountService>()
                .CreateAsync(new NewAccount(AdminNip, "Admin", "DISKOMINFO", null, null, ["admin"]), Password);
            Assert.True(created.Succeeded);
        }

        await kit.RegisterClientAsync(SsoTestKit.WebClient("konsol-admin", ConsoleSecret) with { Scopes = ["profile", "spbe.admin"] });
        var (verifier, challenge) = SsoTestKit.Pkce();
        var callback = await kit.AuthorizeAsync(SsoTestKit.AuthorizeUrl("konsol-admin", challenge, scope: "openid spbe.admin"), Password);
        var (_, tokens) = await kit.RedeemAsync(SsoTestKit.CodeFrom(callback), verifier, "konsol-admin", ConsoleSecret);
        using var api = strict.CreateHttpsClient();
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", tokens.GetProperty("access_token").GetString());

        using var refused = await api.GetAsync(new Uri("/api/identity/users", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("second factor", (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("title").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_role_taken_away_takes_effect_at_the_next_call_even_with_a_valid_token()
    {
        using var api = await AdminClientAsync(OpdAdminNip);
        using (var before = await api.GetAsync(new Uri("/api/identity/users", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        await using (var scope = _factory.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<AsnUser>>();
            var user = (await users.FindByNameAsync(OpdAdminNip))!;
            Assert.True((await users.RemoveFromRoleAsync(user, "opd-admin")).Succeeded);
        }

        using var after = await api.GetAsync(new Uri("/api/identity/users", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Forbidden, after.StatusCode);
    }
}
