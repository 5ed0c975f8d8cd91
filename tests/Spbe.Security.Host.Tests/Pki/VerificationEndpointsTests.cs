using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Spbe.Security.Host.Identity;
using Spbe.Security.Pki.Authority;
using Spbe.Security.Pki.Signing;
using Spbe.Security.Testing;

namespace Spbe.Security.Host.Pki;

/// <summary>Verification anyone can use, over HTTP: the JSON API and the public page a stamp's QR code opens.</summary>
[Trait("Category", "Database")]
public sealed class VerificationEndpointsTests : IAsyncLifetime
{
    private const string Nip = "198503302010011002";
    private const string Passphrase = "frasa-sandi-kepala-dinas-2026";
    private TestDatabase _database = null!;
    private SpbeHostFactory _factory = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync();
        _factory = new SpbeHostFactory(_database);
        _http = _factory.CreateHttpsClient(new CookieContainer());
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _factory.DisposeAsync();
        await _database.DisposeAsync();
    }

    private static string Corpus(string name) => Path.Combine(RepositoryPaths.Shared, "data", "pdf", name);

    private async Task EnrolAsync(string name = "Budi Santoso", string jabatan = "Kepala Dinas")
    {
        await _factory.Services.GetRequiredService<CertificateAuthority>().InitializeAsync("test");
        var registration = _factory.Services.GetRequiredService<RegistrationAuthority>();
        var requested = await registration.RequestAsync("pejabat-signing", new SubjectInfo(name, Nip, "DISKOMINFO", jabatan), null, Passphrase, Nip);
        Assert.True(requested.Success, requested.Error);
        Assert.True((await registration.ApproveAsync(requested.Value!.Id, "petugas-pki")).Success);
    }

    private async Task<SignedDocument> SignAsync()
    {
        await EnrolAsync();
        var signed = await _factory.Services.GetRequiredService<SigningService>().SignPdfAsync(await File.ReadAllBytesAsync(Corpus("lo-surat-undangan.pdf")),
            new SignRequest(Nip, Passphrase, Anchor: "#ttd#"));
        Assert.True(signed.Success, signed.Error);
        return signed.Value!;
    }

    private async Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(byte[] document)
    {
        using var content = new ByteArrayContent(document);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
        using var response = await _http.PostAsync(new Uri("/api/verify", UriKind.Relative), content);
        return (response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>());
    }

    [SharedDataFact]
    public async Task The_api_reports_a_signed_letter_passed_and_a_changed_one_failed()
    {
        var signed = await SignAsync();

        var (status, body) = await PostAsync(signed.Pdf);
        var changed = (byte[])signed.Pdf.Clone();
        changed[changed.Length / 3] ^= 0x04;
        var (_, changedBody) = await PostAsync(changed);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("TOTAL-PASSED", body.GetProperty("indication").GetString());
        Assert.Equal(Nip, body.GetProperty("signatures")[0].GetProperty("signer").GetProperty("nip").GetString());
        Assert.Equal("B-LT", body.GetProperty("signatures")[0].GetProperty("level").GetString());
        Assert.Equal("TOTAL-FAILED", changedBody.GetProperty("indication").GetString());
    }

    [Fact]
    public async Task Garbage_empty_and_oversized_bodies_get_clear_answers()
    {
        var (garbageStatus, garbage) = await PostAsync("%PDF-1.7\nnot really"u8.ToArray());
        using var empty = await _http.PostAsync(new Uri("/api/verify", UriKind.Relative), new ByteArrayContent([]));
        // Note: with Expect: 100-continue the server answers 413 before the body is sent, as a well-behaved client sees it.
        using var huge = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/verify", UriKind.Relative)) { Content = new ByteArrayContent(new byte[DocumentVerifier.MaxDocumentSize + (128 * 1024)]) };
        huge.Headers.ExpectContinue = true;
        using var tooLarge = await _http.SendAsync(huge);

        Assert.Equal(HttpStatusCode.OK, garbageStatus);
        Assert.Equal("INDETERMINATE", garbage.GetProperty("indication").GetString());
        Assert.Equal("FORMAT_FAILURE", garbage.GetProperty("subIndication").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLarge.StatusCode);
        Assert.Contains(SigningErrors.DocumentTooLarge, await tooLarge.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [SharedDataFact]
    public async Task The_public_page_from_the_QR_code_shows_who_signed()
    {
        var signed = await SignAsync();
        var pageUrl = $"/verifikasi/{signed.DocumentId:N}";
        var page = await _http.GetStringAsync(new Uri(pageUrl, UriKind.Relative));
        Assert.Contains(signed.DocumentId.ToString("N"), page, StringComparison.Ordinal);
        Assert.Contains("id=\"catatan-dokumen\"", page, StringComparison.Ordinal);
        Assert.Contains(signed.Sha256, page, StringComparison.Ordinal);
        var unknown = await _http.GetStringAsync(new Uri($"/verifikasi/{Guid.NewGuid():N}", UriKind.Relative));
        Assert.Contains("id=\"tanpa-catatan\"", unknown, StringComparison.Ordinal);

        using var form = new MultipartFormDataContent
        {
            { new StringContent(SsoTestKit.AntiforgeryTokenIn(page)), "__RequestVerificationToken" },
            { new ByteArrayContent(signed.Pdf), "Dokumen", "surat.pdf" },
        };
        using var response = await _http.PostAsync(new Uri(pageUrl, UriKind.Relative), form);
        var result = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("data-indication=\"TOTAL-PASSED\"", result, StringComparison.Ordinal);
        Assert.Contains("Budi Santoso", result, StringComparison.Ordinal);
        Assert.Contains(Nip, result, StringComparison.Ordinal);
        Assert.Contains("data-match=\"true\"", result, StringComparison.Ordinal);
    }

    [SharedDataFact]
    public async Task A_detached_signature_is_verified_beside_its_file()
    {
        await EnrolAsync();
        var content = await File.ReadAllBytesAsync(Path.Combine(RepositoryPaths.Shared, "data", "logs", "loghub_OpenSSH_2k.log"));
        var signed = await _factory.Services.GetRequiredService<SigningService>().SignDetachedAsync(content, new SignRequest(Nip, Passphrase, PadesLevel.BT));
        Assert.True(signed.Success, signed.Error);
        var changed = (byte[])content.Clone();
        changed[100] ^= 0x20;

        var (status, body) = await PostDetachedAsync(content, signed.Value!.Signature);
        var (_, changedBody) = await PostDetachedAsync(changed, signed.Value.Signature);
        var (garbageStatus, garbage) = await PostDetachedAsync(content, "bukan CMS"u8.ToArray());

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("TOTAL-PASSED", body.GetProperty("indication").GetString());
        Assert.Equal(Nip, body.GetProperty("signatures")[0].GetProperty("signer").GetProperty("nip").GetString());
        Assert.Equal("TOTAL-FAILED", changedBody.GetProperty("indication").GetString());
        Assert.Equal("HASH_FAILURE", changedBody.GetProperty("subIndication").GetString());
        Assert.Equal(HttpStatusCode.OK, garbageStatus);
        Assert.NotEqual("TOTAL-PASSED", garbage.GetProperty("indication").GetString());
    }

    private async Task<(HttpStatusCode Status, JsonElement Body)> PostDetachedAsync(byte[] content, byte[] signature)
    {
        using var form = new MultipartFormDataContent
        {
            { new ByteArrayContent(content), "file", "berkas.log" },
            { new ByteArrayContent(signature), "signature", "berkas.log.p7s" },
        };
        using var response = await _http.PostAsync(new Uri("/api/verify", UriKind.Relative), form);
        return (response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>());
    }

    [SharedDataFact]
    public async Task A_signer_name_carrying_markup_renders_inert_on_the_public_page()
    {
        const string hostile = "<script>alert(1)</script>\"><img src=x onerror=alert(2)>";
        await EnrolAsync(name: hostile, jabatan: "\"><svg onload=alert(3)>");
        var signed = await _factory.Services.GetRequiredService<SigningService>().SignPdfAsync(await File.ReadAllBytesAsync(Corpus("lo-nota-dinas.pdf")),
            new SignRequest(Nip, Passphrase, PadesLevel.BB, Placement: new StampPlacement(1, 300, 80, 220, 56)));
        Assert.True(signed.Success, signed.Error);
        var pageUrl = $"/verifikasi/{signed.Value!.DocumentId:N}";
        var page = await _http.GetStringAsync(new Uri(pageUrl, UriKind.Relative));

        using var form = new MultipartFormDataContent
        {
            { new StringContent(SsoTestKit.AntiforgeryTokenIn(page)), "__RequestVerificationToken" },
            { new ByteArrayContent(signed.Value.Pdf), "Dokumen", "surat.pdf" },
        };
        using var response = await _http.PostAsync(new Uri(pageUrl, UriKind.Relative), form);
        var result = await response.Content.ReadAsStringAsync();

        foreach (var html in new[] { page, result })
        {
            Assert.DoesNotContain("<script>alert", html, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("<img src=x", html, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("<svg onload", html, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", html, StringComparison.Ordinal);
        }

        Assert.Contains("data-indication=\"TOTAL-PASSED\"", result, StringComparison.Ordinal);
    }
}
