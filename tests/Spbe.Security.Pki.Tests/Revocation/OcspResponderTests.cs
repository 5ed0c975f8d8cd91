using Microsoft.Extensions.DependencyInjection;
using Spbe.Security.Pki.Authority;
using Spbe.Security.Testing;

namespace Spbe.Security.Pki.Revocation;

/// <summary>The OCSP responder, fed requests made by <c>openssl ocsp</c> and judged by it.</summary>
[Trait("Category", "Database")]
public sealed class OcspResponderTests : IAsyncLifetime
{
    private PkiTestCa _ca = null!;
    private IssuedCertificate _issued = null!;
    private string _certificate = null!;

    public async Task InitializeAsync()
    {
        _ca = await PkiTestCa.CreateAsync();
        var csr = await _ca.RequestAsync("leaf", "ec:P-256", "/CN=Budi Santoso");
        _issued = (await _ca.Authority.IssueFromRequestAsync("pejabat-signing", PkiTestCa.Official, File.ReadAllBytes(csr), "test")).Value!;
        _certificate = _ca.Save("leaf", _issued);
    }

    public async Task DisposeAsync() => await _ca.DisposeAsync();

    private OcspResponder Responder => _ca.Host.Services.GetRequiredService<OcspResponder>();

    private async Task<ToolRun> AskAsync(string name, bool nonce, params string[] target)
    {
        var request = Path.Combine(_ca.Work, name + ".ocspreq");
        var response = Path.Combine(_ca.Work, name + ".ocspresp");
        var made = await ExternalTool.OpenSslAsync(_ca.Work, ["ocsp", "-issuer", Path.Combine(_ca.PkiFolder, "issuing.crt"), .. target, nonce ? "-nonce" : "-no_nonce", "-reqout", request]);
        Assert.True(made.ExitCode == 0, made.ToString());
        var answer = await Responder.RespondAsync(File.ReadAllBytes(request));
        await File.WriteAllBytesAsync(response, answer.Body);
        // Note: given -cert again, openssl builds a new request (with a new nonce), so the nonce is checked through the
        // response text instead.
        var judged = await ExternalTool.OpenSslAsync(_ca.Work, ["ocsp", "-issuer", Path.Combine(_ca.PkiFolder, "issuing.crt"), .. target, "-no_nonce", "-respin", response,
            "-CAfile", Path.Combine(_ca.PkiFolder, "root.crt"), "-resp_text"]);
        if (nonce)
        {
            var requestText = await ExternalTool.OpenSslAsync(_ca.Work, "ocsp", "-reqin", request, "-req_text");
            var requestNonce = requestText.Output[requestText.Output.IndexOf("OCSP Nonce:", StringComparison.Ordinal)..].Split('\n')[1].Trim();
            Assert.Contains(requestNonce, judged.Output, StringComparison.Ordinal);
        }

        return judged;
    }

    [Fact]
    public async Task Openssl_hears_good_then_revoked_then_unknown_for_a_serial_never_issued()
    {
        var good = await AskAsync("good", nonce: true, "-cert", _certificate);
        await _ca.Authority.RevokeAsync(_issued.Serial, RevocationReason.AffiliationChanged, "officer");
        var revoked = await AskAsync("revoked", nonce: false, "-cert", _certificate);
        var unknown = await AskAsync("unknown", nonce: false, "-serial", "0x1234567890");

        Assert.Contains("Response verify OK", good.Error + good.Output, StringComparison.Ordinal);
        Assert.Contains(": good", good.Output, StringComparison.Ordinal);
        Assert.Contains(": revoked", revoked.Output, StringComparison.Ordinal);
        Assert.Contains("affiliationChanged", revoked.Output, StringComparison.Ordinal);
        Assert.Contains("Response verify OK", revoked.Error + revoked.Output, StringComparison.Ordinal);
        Assert.Contains(": unknown", unknown.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_answer_without_nonce_is_signed_once_and_served_from_memory_until_the_status_changes()
    {
        var request = Path.Combine(_ca.Work, "cached.ocspreq");
        await ExternalTool.OpenSslAsync(_ca.Work, "ocsp", "-issuer", Path.Combine(_ca.PkiFolder, "issuing.crt"), "-cert", _certificate, "-no_nonce", "-reqout", request);
        var bytes = File.ReadAllBytes(request);

        var first = await Responder.RespondAsync(bytes);
        var second = await Responder.RespondAsync(bytes);
        await _ca.Authority.RevokeAsync(_issued.Serial, RevocationReason.CertificateHold, "officer");
        var afterHold = await Responder.RespondAsync(bytes);

        Assert.False(first.FromCache);
        Assert.True(second.FromCache);
        Assert.Equal(first.Body, second.Body);
        Assert.False(afterHold.FromCache);
        Assert.NotEqual(first.Body, afterHold.Body);
    }

    [Fact]
    public async Task A_revocation_made_by_another_process_reaches_the_cached_answers_within_a_second()
    {
        var request = Path.Combine(_ca.Work, "sibling.ocspreq");
        await ExternalTool.OpenSslAsync(_ca.Work, "ocsp", "-issuer", Path.Combine(_ca.PkiFolder, "issuing.crt"), "-cert", _certificate, "-no_nonce", "-reqout", request);
        var bytes = File.ReadAllBytes(request);
        var good = await Responder.RespondAsync(bytes);
        Assert.True(Responder.TryGetCached(bytes, out _));

        using (var sibling = _ca.CreateSiblingHost())
        {
            var revoked = await sibling.Services.GetRequiredService<CertificateAuthority>().RevokeAsync(_issued.Serial, RevocationReason.KeyCompromise, "cli");
            Assert.True(revoked.Success, revoked.Error);
        }

        // Note: the fast path keeps serving until the responder's next look at the ledger head (at most half a second).
        Assert.True(SpinWait.SpinUntil(() => !Responder.TryGetCached(bytes, out _), TimeSpan.FromSeconds(5)));
        var fastPath = Responder.TryGetCached(bytes, out _);
        var after = await Responder.RespondAsync(bytes);

        Assert.False(fastPath);
        Assert.False(after.FromCache);
        Assert.NotEqual(good.Body, after.Body);
        var path = Path.Combine(_ca.Work, "sibling.ocspresp");
        await File.WriteAllBytesAsync(path, after.Body);
        var judged = await ExternalTool.OpenSslAsync(_ca.Work, "ocsp", "-issuer", Path.Combine(_ca.PkiFolder, "issuing.crt"), "-cert", _certificate, "-no_nonce",
            "-respin", path, "-CAfile", Path.Combine(_ca.PkiFolder, "root.crt"));
        Assert.Contains(": revoked", judged.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new byte[] { })]
    [InlineData(new byte[] { 0x30, 0x03, 0x02, 0x01, 0x01 })]
    [InlineData(new byte[] { 0x04, 0x00 })]
    public async Task Garbage_gets_a_malformed_request_answer(byte[] garbage)
    {
        var answer = await Responder.RespondAsync(garbage);

        Assert.Equal(PkiErrors.OcspMalformed, answer.ErrorCode);
        var path = Path.Combine(_ca.Work, "garbage.ocspresp");
        await File.WriteAllBytesAsync(path, answer.Body);
        var parsed = await ExternalTool.OpenSslAsync(_ca.Work, "ocsp", "-respin", path, "-resp_text", "-noverify");
        Assert.Contains("malformedrequest", parsed.Output.Replace(" ", string.Empty, StringComparison.Ordinal).ToLowerInvariant(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_oversized_request_is_refused_without_being_parsed()
    {
        var answer = await Responder.RespondAsync(new byte[OcspResponder.MaxRequestSize + 1]);

        Assert.Equal(PkiErrors.TooLarge, answer.ErrorCode);
    }
}
