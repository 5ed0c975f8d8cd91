using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using Spbe.Security.Host.Identity;
using Spbe.Security.Identity.Accounts;
using Spbe.Security.Pki.Authority;
using Spbe.Security.Pki.Signing;
using Spbe.Security.Testing;

namespace Spbe.Security.Host.Pki;

/// <summary>
/// The naskah dinas pages: a drafter uploads, the pejabat signs only after a fresh sign-in with a second factor and
/// with their passphrase, and nobody outside the workflow learns that the naskah exists.
/// </summary>
[Trait("Category", "Database")]
public sealed class NaskahPagesTests : IAsyncLifetime
{
    private const string PejabatNip = "198001012005011001";
    private const string OutsiderNip = "197505052000032001";
    private const string Passphrase = "frasa-sandi-kepala-dinas-2026";
    private TestDatabase _database = null!;
    private SpbeHostFactory _factory = null!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync();
        _factory = new SpbeHostFactory(_database);
        await new SsoTestKit(_factory).SeedAsync();
        await using (var scope = _factory.Services.CreateAsyncScope())
        {
            var accounts = scope.ServiceProvider.GetRequiredService<AccountService>();
            Assert.True((await accounts.CreateAsync(new NewAccount(PejabatNip, "Budi Santoso", "DISKOMINFO", "Kepala Dinas", null, [SpbeRoles.Signer]), SsoTestKit.Password)).Succeeded);
            Assert.True((await accounts.CreateAsync(new NewAccount(OutsiderNip, "Rina Lain", "BAPPEDA", "Analis", null, [SpbeRoles.Signer]), SsoTestKit.Password)).Succeeded);
        }

        await _factory.Services.GetRequiredService<CertificateAuthority>().InitializeAsync("test");
        var registration = _factory.Services.GetRequiredService<RegistrationAuthority>();
        var requested = await registration.RequestAsync("pejabat-signing", new SubjectInfo("Budi Santoso", PejabatNip, "DISKOMINFO", "Kepala Dinas"), null, Passphrase, PejabatNip);
        Assert.True((await registration.ApproveAsync(requested.Value!.Id, "petugas-pki")).Success);
    }

    public async Task DisposeAsync()
    {
        await _factory.DisposeAsync();
        await _database.DisposeAsync();
    }

    private static async Task<HttpResponseMessage> UploadAsync(SsoTestKit drafter, byte[] pdf)
    {
        var page = await drafter.Browser.GetStringAsync(new Uri("/naskah/baru", UriKind.Relative));
        using var form = new MultipartFormDataContent
        {
            { new StringContent(SsoTestKit.AntiforgeryTokenIn(page)), "__RequestVerificationToken" },
            { new StringContent("Undangan rapat <b>koordinasi</b>"), "Input.Perihal" },
            { new StringContent(PejabatNip), "Input.Penandatangan" },
            { new StringContent("#ttd#"), "Input.Jangkar" },
        };
        var file = new ByteArrayContent(pdf);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
        form.Add(file, "Input.Dokumen", "undangan.pdf");
        return await drafter.Browser.PostAsync(new Uri("/naskah/baru", UriKind.Relative), form);
    }

    private static async Task<HttpResponseMessage> SignAsync(SsoTestKit pejabat, string url) =>
        await pejabat.SubmitFormAsync(url + "?handler=Tandatangan", await pejabat.Browser.GetStringAsync(new Uri(url, UriKind.Relative)),
            new Dictionary<string, string> { ["FrasaSandi"] = Passphrase });

    [SharedDataFact]
    public async Task The_pejabat_signs_only_after_a_fresh_second_factor_and_outsiders_get_404()
    {
        var drafter = new SsoTestKit(_factory);
        await drafter.LoginAsync();
        using var uploaded = await UploadAsync(drafter, await File.ReadAllBytesAsync(Path.Combine(RepositoryPaths.Shared, "data", "pdf", "lo-surat-undangan.pdf")));
        Assert.Equal(HttpStatusCode.Redirect, uploaded.StatusCode);
        var url = uploaded.Headers.Location!.ToString();
        Assert.Matches("^/naskah/[0-9a-f]{32}$", url);

        // With the password alone, the page asks for a fresh multi-factor sign-in and a signature is refused.
        var pejabat = new SsoTestKit(_factory, PejabatNip);
        await pejabat.LoginAsync();
        var waiting = await pejabat.Browser.GetStringAsync(new Uri("/naskah", UriKind.Relative));
        Assert.Contains(url, waiting, StringComparison.Ordinal);
        Assert.Contains("Undangan rapat &lt;b&gt;koordinasi&lt;/b&gt;", waiting, StringComparison.Ordinal);
        Assert.Contains("id=\"perlu-masuk-ulang\"", await pejabat.Browser.GetStringAsync(new Uri(url, UriKind.Relative)), StringComparison.Ordinal);
        using (var refused = await SignAsync(pejabat, url))
        {
            var body = await refused.Content.ReadAsStringAsync();
            Assert.Contains(SigningErrors.SessionNotFresh, body, StringComparison.Ordinal);
            Assert.Contains("data-state=\"awaitingsignature\"", body, StringComparison.Ordinal);
        }

        // With an authenticator enrolled and a new sign-in through it, the passphrase signs and seals.
        var secret = await pejabat.EnrolAuthenticatorAsync();
        var again = new SsoTestKit(_factory, PejabatNip);
        await again.LoginWithAuthenticatorAsync(secret, url);
        using (var signed = await SignAsync(again, url))
        {
            var body = await signed.Content.ReadAsStringAsync();
            Assert.Contains("id=\"berhasil\"", body, StringComparison.Ordinal);
            Assert.Contains("data-state=\"sealed\"", body, StringComparison.Ordinal);
        }

        var pdf = await drafter.Browser.GetByteArrayAsync(new Uri(url + "?handler=Unduh", UriKind.Relative));
        var report = await _factory.Services.GetRequiredService<DocumentVerifier>().VerifyPdfAsync(pdf);
        Assert.Equal(Indications.Passed, report.Indication);
        Assert.Equal(PejabatNip, report.Signatures[0].Signer!.Nip);

        var outsider = new SsoTestKit(_factory, OutsiderNip);
        await outsider.LoginAsync();
        using var peek = await outsider.Browser.GetAsync(new Uri(url, UriKind.Relative));
        using var grab = await outsider.Browser.GetAsync(new Uri(url + "?handler=Unduh", UriKind.Relative));
        using var unknown = await outsider.Browser.GetAsync(new Uri($"/naskah/{Guid.NewGuid():N}", UriKind.Relative));
        using var anonymous = await _factory.CreateHttpsClient(new CookieContainer()).GetAsync(new Uri(url, UriKind.Relative));
        Assert.Equal((HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.NotFound), (peek.StatusCode, grab.StatusCode, unknown.StatusCode));
        Assert.Equal(HttpStatusCode.Found, anonymous.StatusCode);

        var events = drafter.SecurityEvents();
        Assert.Contains(events, e => SsoTestKit.Field(e, "event", "action") == "tte-sign" && SsoTestKit.Field(e, "event", "reason") == SigningErrors.SessionNotFresh);
        Assert.Contains(events, e => SsoTestKit.Field(e, "event", "action") == "tte-sign" && SsoTestKit.Field(e, "event", "outcome") == "success");
        Assert.Contains(events, e => SsoTestKit.Field(e, "event", "action") == "tte-naskah" && SsoTestKit.Field(e, "event", "outcome") == "success");
        Assert.DoesNotContain(events, e => e.GetRawText().Contains(Passphrase, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_file_that_is_not_a_PDF_is_refused_with_its_code_and_nothing_is_created()
    {
        var drafter = new SsoTestKit(_factory);
        await drafter.LoginAsync();

        using var refused = await UploadAsync(drafter, "%PDF-1.7 rusak"u8.ToArray());

        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Contains(SigningErrors.DocumentUnreadable, await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("id=\"tidak-ada-tugas\"", await drafter.Browser.GetStringAsync(new Uri("/naskah", UriKind.Relative)), StringComparison.Ordinal);
        Assert.DoesNotContain("data-id=", await drafter.Browser.GetStringAsync(new Uri("/naskah", UriKind.Relative)), StringComparison.Ordinal);
    }
}
