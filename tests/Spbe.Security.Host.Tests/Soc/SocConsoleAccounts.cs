using Microsoft.Extensions.DependencyInjection;
using Spbe.Security.Host.Identity;
using Spbe.Security.Identity.Accounts;

namespace Spbe.Security.Host.Soc;

/// <summary>The people of the console tests: a CSIRT analyst (DISKOMINFO) and BAPPEDA's OPD admin, and the console's
/// confidential client <c>konsol-csirt</c> (scope <c>spbe.soc</c>) for their API tokens.</summary>
internal static class SocConsoleAccounts
{
    public const string AnalystNip = "198001012005011002";
    public const string BappedaAdminNip = "199306062018061007";
    public const string ClientId = "konsol-csirt";

    public static async Task SeedAsync(SpbeHostFactory factory, string clientSecret)
    {
        var kit = new SsoTestKit(factory);
        _ = kit.Browser;
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var accounts = scope.ServiceProvider.GetRequiredService<AccountService>();
            Assert.True((await accounts.CreateAsync(new NewAccount(AnalystNip, "Analis CSIRT", "DISKOMINFO", null, null, [SpbeRoles.CsirtAnalyst]), SsoTestKit.Password)).Succeeded);
            Assert.True((await accounts.CreateAsync(new NewAccount(BappedaAdminNip, "Admin Bappeda", "BAPPEDA", null, null, [SpbeRoles.OpdAdmin]), SsoTestKit.Password)).Succeeded);
        }

        await kit.RegisterClientAsync(SsoTestKit.WebClient(ClientId, clientSecret) with { Scopes = ["profile", "spbe.soc"] });
    }

    /// <summary>An API client with the access token of <paramref name="nip"/>.</summary>
    public static Task<HttpClient> ApiClientAsync(SpbeHostFactory factory, string nip, string clientSecret) =>
        new SsoTestKit(factory, nip).BearerClientAsync(ClientId, clientSecret, "openid spbe.soc");
}
