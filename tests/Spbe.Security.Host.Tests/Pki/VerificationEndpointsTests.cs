using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Spbe.Security.Pki.Authority;
using Spbe.Security.Pki.Signing;
using Spbe.Security.Testing;

namespace Spbe.Security.Host.Pki;

/// <summary>Verification anyone can use, over HTTP: the JSON API and the public page a stamp's QR code opens.</summary>
[Trait("Category", "Database")]
public sealed partial class VerificationEndpointsTests : IAsyncLifetime
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

    private async Task<SignedDocument> SignAsync()
    {
        await _factory.Services.GetRequiredService<CertificateAuthority>().InitializeAsync("test");
        var registration = _factory.Services.GetRequiredService<RegistrationAuthority>();
        var requested = await registration.RequestAsync("pejabat-signing", new SubjectInfo("Budi Santoso", Nip, "DISKOMINFO", "Kepala Dinas"), null, Passphrase, Nip);
        Assert.True((await registration.ApproveAsync(requested.Value!.Id, "petugas-pki")).Success);
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
            { new StringContent(AntiforgeryToken().Match(page).Groups[1].Value), "__RequestVerificationToken" },
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

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();
}
