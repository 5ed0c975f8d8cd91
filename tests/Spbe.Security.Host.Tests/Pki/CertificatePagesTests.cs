using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Spbe.Security.Host.Identity;
using Spbe.Security.Identity.Accounts;
using Spbe.Security.Testing;

namespace Spbe.Security.Host.Pki;

/// <summary>The registration workflow in the browser: an official asks on /sertifikat, a pki-officer decides on
/// /sertifikat/petugas, each signed in through the SSO.</summary>
[Trait("Category", "Database")]
public sealed class CertificatePagesTests : IAsyncLifetime
{
    private const string OfficerNip = "197001011995031001";
    private TestDatabase _database = null!;
    private SpbeHostFactory _factory = null!;
    private SsoTestKit _official = null!;
    private SsoTestKit _officer = null!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync();
        _factory = new SpbeHostFactory(_database);
        _official = new SsoTestKit(_factory);
        await _official.SeedAsync(SpbeRoles.Signer);
        await using (var scope = _factory.Services.CreateAsyncScope())
        {
            var created = await scope.ServiceProvider.GetRequiredService<AccountService>()
                .CreateAsync(new NewAccount(OfficerNip, "Agus Petugas", "DISKOMINFO", "Petugas Pendaftaran", null, [SpbeRoles.PkiOfficer]), SsoTestKit.Password);
            Assert.True(created.Succeeded, created.Reason);
        }

        await _factory.Services.GetRequiredService<Spbe.Security.Pki.Authority.CertificateAuthority>().InitializeAsync("test");
        _officer = new SsoTestKit(_factory, OfficerNip);
    }

    public async Task DisposeAsync()
    {
        await _factory.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task An_official_asks_for_a_server_generated_key_and_an_officer_approves_it()
    {
        using var anonymous = await _official.Browser.GetAsync(new Uri("/sertifikat", UriKind.Relative));
        Assert.Contains("/masuk", anonymous.Headers.Location!.ToString(), StringComparison.Ordinal);
        await _official.LoginAsync();

        using var asked = await _official.SubmitFormAsync("/sertifikat", new Dictionary<string, string>
        {
            ["Input.Passphrase"] = "frasa sandi pejabat yang panjang",
            ["Input.ConfirmPassphrase"] = "frasa sandi pejabat yang panjang",
        });
        var askedPage = await asked.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, asked.StatusCode);
        Assert.True(askedPage.Contains("id=\"permohonan-terkirim\"", StringComparison.Ordinal), askedPage[askedPage.IndexOf("<h1>", StringComparison.Ordinal)..]);
        Assert.Contains("data-state=\"pending\"", askedPage, StringComparison.Ordinal);
        Assert.DoesNotContain("frasa sandi pejabat", askedPage, StringComparison.Ordinal);

        await _officer.LoginAsync();
        var queue = await _officer.Browser.GetStringAsync(new Uri("/sertifikat/petugas", UriKind.Relative));
        var id = System.Text.RegularExpressions.Regex.Match(queue, "data-id=\"([0-9a-f-]{36})\"").Groups[1].Value;
        using var approved = await _officer.SubmitFormAsync("/sertifikat/petugas?handler=Approve", queue, new Dictionary<string, string> { ["RequestId"] = id });
        var approvedPage = await approved.Content.ReadAsStringAsync();

        Assert.Contains("Siti Rahmawati", queue, StringComparison.Ordinal);
        Assert.Contains("Sertifikat diterbitkan: ", approvedPage, StringComparison.Ordinal);
        Assert.Contains("Tidak ada permohonan yang menunggu.", approvedPage, StringComparison.Ordinal);
        var mine = await _official.Browser.GetStringAsync(new Uri("/sertifikat", UriKind.Relative));
        Assert.Contains("data-state=\"issued\"", mine, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Only_officers_see_the_queue_and_a_rejection_needs_a_reason()
    {
        await _official.LoginAsync();
        using var asked = await _official.SubmitFormAsync("/sertifikat", new Dictionary<string, string>
        {
            ["Input.Csr"] = "-----BEGIN CERTIFICATE REQUEST-----\nbukan CSR\n-----END CERTIFICATE REQUEST-----",
        });
        Assert.Contains("PKI-0002", await asked.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await _official.SubmitFormAsync("/sertifikat", new Dictionary<string, string>
        {
            ["Input.Passphrase"] = "frasa sandi pejabat yang panjang",
            ["Input.ConfirmPassphrase"] = "frasa sandi pejabat yang panjang",
        });

        using var notOfficer = await _official.Browser.GetAsync(new Uri("/sertifikat/petugas", UriKind.Relative));
        await _officer.LoginAsync();
        var queue = await _officer.Browser.GetStringAsync(new Uri("/sertifikat/petugas", UriKind.Relative));
        var id = System.Text.RegularExpressions.Regex.Match(queue, "data-id=\"([0-9a-f-]{36})\"").Groups[1].Value;
        using var noReason = await _officer.SubmitFormAsync("/sertifikat/petugas?handler=Reject", queue, new Dictionary<string, string> { ["RequestId"] = id });
        using var rejected = await _officer.SubmitFormAsync("/sertifikat/petugas?handler=Reject", queue, new Dictionary<string, string> { ["RequestId"] = id, ["Reason"] = "SK jabatan belum ada" });
        var mine = await _official.Browser.GetStringAsync(new Uri("/sertifikat", UriKind.Relative));

        Assert.NotEqual(HttpStatusCode.OK, notOfficer.StatusCode);
        Assert.Contains("Tulis alasan penolakan.", await noReason.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("Permohonan ditolak.", await rejected.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("data-state=\"rejected\"", mine, StringComparison.Ordinal);
        Assert.Contains("SK jabatan belum ada", mine, StringComparison.Ordinal);
    }
}
