using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Spbe.Security.Host.Identity;
using Spbe.Security.Identity.Accounts;
using Spbe.Security.Pki.Authority;
using Spbe.Security.Pki.Signing;
using Spbe.Security.Testing;

namespace Spbe.Security.Host.Pki;

/// <summary>DISKOMINFO's monitoring page: city-wide roles see every OPD, an opd-admin only their own, others nothing.</summary>
[Trait("Category", "Database")]
public sealed class SigningMonitoringTests : IAsyncLifetime
{
    private const string SignerNip = "198503302010011002";
    private const string OfficerNip = "197001011995031001";
    private const string OtherOpdAdminNip = "197505052000032001";
    private const string Passphrase = "frasa-sandi-kepala-dinas-2026";
    private TestDatabase _database = null!;
    private SpbeHostFactory _factory = null!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync();
        _factory = new SpbeHostFactory(_database);
        await new SsoTestKit(_factory).SeedAsync(SpbeRoles.Signer);
        await using (var scope = _factory.Services.CreateAsyncScope())
        {
            var accounts = scope.ServiceProvider.GetRequiredService<AccountService>();
            Assert.True((await accounts.CreateAsync(new NewAccount(OfficerNip, "Agus Petugas", "DISKOMINFO", "Petugas Pendaftaran", null, [SpbeRoles.PkiOfficer]), SsoTestKit.Password)).Succeeded);
            Assert.True((await accounts.CreateAsync(new NewAccount(OtherOpdAdminNip, "Rina Admin", "BAPPEDA", "Pranata Komputer", null, [SpbeRoles.OpdAdmin]), SsoTestKit.Password)).Succeeded);
        }

        await _factory.Services.GetRequiredService<CertificateAuthority>().InitializeAsync("test");
    }

    public async Task DisposeAsync()
    {
        await _factory.DisposeAsync();
        await _database.DisposeAsync();
    }

    [SharedDataFact]
    public async Task Each_role_sees_what_it_may_and_nobody_else_sees_anything()
    {
        var registration = _factory.Services.GetRequiredService<RegistrationAuthority>();
        var requested = await registration.RequestAsync("pejabat-signing", new SubjectInfo("Budi Santoso", SignerNip, "DISKOMINFO", "Kepala Dinas"), null, Passphrase, SignerNip);
        Assert.True((await registration.ApproveAsync(requested.Value!.Id, OfficerNip)).Success);
        var signing = _factory.Services.GetRequiredService<SigningService>();
        var document = await File.ReadAllBytesAsync(Path.Combine(RepositoryPaths.Shared, "data", "pdf", "lo-nota-dinas.pdf"));
        Assert.True((await signing.SignPdfAsync(document, new SignRequest(SignerNip, Passphrase, PadesLevel.BB))).Success);
        Assert.False((await signing.SignPdfAsync(document, new SignRequest(SignerNip, "bukan-frasa-sandinya-2026"))).Success);

        var anonymous = _factory.CreateHttpsClient(new CookieContainer());
        using var anonymousPage = await anonymous.GetAsync(new Uri("/tte/pemantauan", UriKind.Relative));
        var signer = new SsoTestKit(_factory);
        await signer.LoginAsync();
        using var signerPage = await signer.Browser.GetAsync(new Uri("/tte/pemantauan", UriKind.Relative));
        var officer = new SsoTestKit(_factory, OfficerNip);
        await officer.LoginAsync();
        var officerPage = await officer.Browser.GetStringAsync(new Uri("/tte/pemantauan", UriKind.Relative));
        var officerJson = JsonDocument.Parse(await officer.Browser.GetStringAsync(new Uri("/tte/pemantauan?handler=json", UriKind.Relative))).RootElement;
        var otherOpd = new SsoTestKit(_factory, OtherOpdAdminNip);
        await otherOpd.LoginAsync();
        var otherJson = JsonDocument.Parse(await otherOpd.Browser.GetStringAsync(new Uri("/tte/pemantauan?handler=json&Opd=DISKOMINFO", UriKind.Relative))).RootElement;

        Assert.Equal(HttpStatusCode.Found, anonymousPage.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, signerPage.StatusCode);
        Assert.Contains("id=\"grafik-opd\"", officerPage, StringComparison.Ordinal);
        var row = Assert.Single(officerJson.GetProperty("rows").EnumerateArray());
        Assert.Equal((SignerNip, 1, 1), (row.GetProperty("nip").GetString(), row.GetProperty("signed").GetInt32(), row.GetProperty("refused").GetInt32()));
        Assert.Empty(otherJson.GetProperty("rows").EnumerateArray());
    }
}
