using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using Spbe.Security.Pki.Authority;
using Spbe.Security.Testing;

namespace Spbe.Security.Host.Pki;

/// <summary>The PKI's public HTTP endpoints, used the way relying parties use them: openssl ocsp -url, openssl ts,
/// plain downloads of CA certificates and CRLs.</summary>
[Trait("Category", "Database")]
public sealed class PkiEndpointsTests : IAsyncLifetime
{
    private readonly TempDirectory _work = new();
    private TestDatabase _database = null!;
    private SpbeHostFactory _factory = null!;
    private HttpClient _http = null!;
    private string _pki = null!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync();
        _factory = new SpbeHostFactory(_database);
        _http = _factory.CreateHttpClient();
        _pki = Path.Combine(_factory.DataDirectory, "pki");
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _factory.DisposeAsync();
        await _database.DisposeAsync();
        _work.Dispose();
    }

    private CertificateAuthority Authority => _factory.Services.GetRequiredService<CertificateAuthority>();

    private async Task<(IssuedCertificate Issued, string Path)> IssueAsync()
    {
        await Authority.InitializeAsync("test");
        var key = _work.Combine("leaf.key");
        var csr = _work.Combine("leaf.csr");
        Assert.Equal(0, (await ExternalTool.OpenSslAsync(_work.Path, "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", key)).ExitCode);
        Assert.Equal(0, (await ExternalTool.OpenSslAsync(_work.Path, "req", "-new", "-key", key, "-subj", "/CN=Budi Santoso", "-out", csr)).ExitCode);
        var issued = await Authority.IssueFromRequestAsync("pejabat-signing", new SubjectInfo("Budi Santoso", "198503302010011002", "DISKOMINFO", "Kepala Dinas"),
            File.ReadAllBytes(csr), "test");
        Assert.True(issued.Success, issued.Error);
        var path = _work.Combine("leaf.pem");
        await File.WriteAllTextAsync(path, issued.Value!.ToPem());
        return (issued.Value, path);
    }

    private Task<ToolRun> OcspAsync(params string[] target) => ExternalTool.OpenSslAsync(_work.Path,
        ["ocsp", "-issuer", Path.Combine(_pki, "issuing.crt"), .. target, "-url", new Uri(_http.BaseAddress!, "pki/ocsp").AbsoluteUri, "-CAfile", Path.Combine(_pki, "root.crt")]);

    [Fact]
    public async Task Openssl_ocsp_over_http_says_good_revoked_and_unknown()
    {
        var (issued, path) = await IssueAsync();

        var good = await OcspAsync("-cert", path);
        await Authority.RevokeAsync(issued.Serial, RevocationReason.KeyCompromise, "officer");
        var revoked = await OcspAsync("-cert", path, "-no_nonce");
        var unknown = await OcspAsync("-serial", "0x7777777777");

        Assert.Contains("Response verify OK", good.Error, StringComparison.Ordinal);
        Assert.Contains(": good", good.Output, StringComparison.Ordinal);
        Assert.Contains(": revoked", revoked.Output, StringComparison.Ordinal);
        Assert.Contains("keyCompromise", revoked.Output, StringComparison.Ordinal);
        Assert.Contains(": unknown", unknown.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ocsp_get_requests_are_answered_from_the_cache_with_http_caching_headers()
    {
        var (_, path) = await IssueAsync();
        var request = _work.Combine("get.ocspreq");
        await ExternalTool.OpenSslAsync(_work.Path, "ocsp", "-issuer", Path.Combine(_pki, "issuing.crt"), "-cert", path, "-no_nonce", "-reqout", request);
        var encoded = Uri.EscapeDataString(Convert.ToBase64String(File.ReadAllBytes(request)));

        using var first = await _http.GetAsync(new Uri("/pki/ocsp/" + encoded, UriKind.Relative));
        using var second = await _http.GetAsync(new Uri("/pki/ocsp/" + encoded, UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("application/ocsp-response", first.Content.Headers.ContentType!.MediaType);
        Assert.Contains("public", first.Headers.CacheControl!.ToString(), StringComparison.Ordinal);
        Assert.Equal(await first.Content.ReadAsByteArrayAsync(), await second.Content.ReadAsByteArrayAsync());
        var response = _work.Combine("get.ocspresp");
        await File.WriteAllBytesAsync(response, await first.Content.ReadAsByteArrayAsync());
        var judged = await ExternalTool.OpenSslAsync(_work.Path, "ocsp", "-issuer", Path.Combine(_pki, "issuing.crt"), "-cert", path, "-no_nonce", "-respin", response,
            "-CAfile", Path.Combine(_pki, "root.crt"));
        Assert.Contains(": good", judged.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Openssl_verifies_a_timestamp_from_the_tsa_endpoint()
    {
        await Authority.InitializeAsync("test");
        var data = _work.Combine("naskah.txt");
        await File.WriteAllTextAsync(data, "Surat Edaran Wali Kota");
        var query = _work.Combine("q.tsq");
        await ExternalTool.OpenSslAsync(_work.Path, "ts", "-query", "-data", data, "-sha256", "-cert", "-out", query);
        using var content = new ByteArrayContent(File.ReadAllBytes(query));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/timestamp-query");

        using var response = await _http.PostAsync(new Uri("/pki/tsa", UriKind.Relative), content);

        Assert.Equal("application/timestamp-reply", response.Content.Headers.ContentType!.MediaType);
        var reply = _work.Combine("r.tsr");
        await File.WriteAllBytesAsync(reply, await response.Content.ReadAsByteArrayAsync());
        var verify = await ExternalTool.OpenSslAsync(_work.Path, "ts", "-verify", "-data", data, "-in", reply, "-CAfile", Path.Combine(_pki, "root.crt"),
            "-untrusted", Path.Combine(_pki, "issuing.crt"));
        Assert.Contains("Verification: OK", verify.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ca_certificates_and_crls_are_published_and_other_names_are_not_found()
    {
        await Authority.InitializeAsync("test");

        using var root = await _http.GetAsync(new Uri("/pki/ca/root.crt", UriKind.Relative));
        using var crl = await _http.GetAsync(new Uri("/pki/crl/issuing.crl", UriKind.Relative));
        using var delta = await _http.GetAsync(new Uri("/pki/crl/issuing-delta.crl", UriKind.Relative));
        using var key = await _http.GetAsync(new Uri("/pki/ca/ocsp.crt", UriKind.Relative));
        using var other = await _http.GetAsync(new Uri("/pki/crl/..%2Fkeys%2Fmaster.crl", UriKind.Relative));

        Assert.Equal("application/pkix-cert", root.Content.Headers.ContentType!.MediaType);
        using var published = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificate(await root.Content.ReadAsByteArrayAsync());
        Assert.Contains("Root CA", published.Subject, StringComparison.Ordinal);
        Assert.Equal("application/pkix-crl", crl.Content.Headers.ContentType!.MediaType);
        Assert.Equal(HttpStatusCode.OK, delta.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, key.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
        var file = _work.Combine("issuing.crl");
        await File.WriteAllBytesAsync(file, await crl.Content.ReadAsByteArrayAsync());
        var parsed = await ExternalTool.OpenSslAsync(_work.Path, "crl", "-inform", "DER", "-in", file, "-CAfile", Path.Combine(_pki, "issuing.crt"), "-noout");
        Assert.Contains("verify OK", parsed.Error + parsed.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Oversized_and_garbage_requests_get_protocol_errors_not_server_errors()
    {
        await Authority.InitializeAsync("test");
        using var huge = new ByteArrayContent(new byte[64 * 1024]);
        using var garbage = new ByteArrayContent("bukan permintaan OCSP"u8.ToArray());

        using var ocsp = await _http.PostAsync(new Uri("/pki/ocsp", UriKind.Relative), huge);
        using var tsa = await _http.PostAsync(new Uri("/pki/tsa", UriKind.Relative), garbage);
        using var get = await _http.GetAsync(new Uri("/pki/ocsp/%%%not-base64", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, ocsp.StatusCode);
        // OCSPResponse { responseStatus malformedRequest (1) }
        Assert.Equal(new byte[] { 0x30, 0x03, 0x0A, 0x01, 0x01 }, await ocsp.Content.ReadAsByteArrayAsync());
        Assert.Equal(HttpStatusCode.OK, tsa.StatusCode);
        var rejection = _work.Combine("rejection.tsr");
        await File.WriteAllBytesAsync(rejection, await tsa.Content.ReadAsByteArrayAsync());
        Assert.Contains("Rejected", (await ExternalTool.OpenSslAsync(_work.Path, "ts", "-reply", "-in", rejection, "-text")).Output, StringComparison.Ordinal);
        Assert.NotEqual(HttpStatusCode.InternalServerError, get.StatusCode);
    }
}
