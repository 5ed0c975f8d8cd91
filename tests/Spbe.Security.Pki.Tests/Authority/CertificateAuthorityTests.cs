using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Spbe.Security.Pki.Ledger;
using Spbe.Security.Pki.Persistence;
using Spbe.Security.Testing;

namespace Spbe.Security.Pki.Authority;

/// <summary>The CA end to end, judged by OpenSSL: chains for every profile, refusals, revocation and the ledger.</summary>
[Trait("Category", "Database")]
public sealed class CertificateAuthorityTests : IAsyncLifetime
{
    private PkiTestCa _ca = null!;

    public async Task InitializeAsync() => _ca = await PkiTestCa.CreateAsync();

    public async Task DisposeAsync() => await _ca.DisposeAsync();

    [Fact]
    public async Task Init_creates_a_two_level_hierarchy_once_and_keeps_it()
    {
        var before = File.ReadAllBytes(Path.Combine(_ca.PkiFolder, "issuing.crt"));

        var again = await _ca.Authority.InitializeAsync("test");

        Assert.All(again, step => Assert.Equal(Spbe.Security.Data.InitializationAction.Kept, step.Action));
        Assert.Equal(before, File.ReadAllBytes(Path.Combine(_ca.PkiFolder, "issuing.crt")));
        var status = _ca.Authority.Status();
        Assert.Equal(["root", "issuing"], status.Select(s => s.Role));
        Assert.Contains("Root CA", status[0].Subject, StringComparison.Ordinal);
        var root = await ExternalTool.OpenSslAsync(_ca.Work, "x509", "-in", Path.Combine(_ca.PkiFolder, "root.crt"), "-noout", "-text");
        Assert.Contains("CA:TRUE, pathlen:1", root.Output, StringComparison.Ordinal);
        Assert.Contains("Certificate Sign, CRL Sign", root.Output, StringComparison.Ordinal);
        foreach (var service in new[] { "ocsp", "tsa" })
        {
            var verify = await _ca.VerifyAsync(Path.Combine(_ca.PkiFolder, service + ".crt"));
            Assert.True(verify.ExitCode == 0, verify.ToString());
        }
    }

    [Theory]
    [InlineData("ec:P-256", "ecdsa-p256")]
    [InlineData("ec:P-384", "ecdsa-p384")]
    [InlineData("rsa:3072", "rsa-3072")]
    public async Task A_pejabat_signing_certificate_chains_to_the_root_for_signing_with_the_account_in_its_subject(string keyType, string _)
    {
        var csr = await _ca.RequestAsync("pejabat", keyType, $"/CN=Budi Santoso/serialNumber={PkiTestCa.Nip}");

        var issued = await _ca.Authority.IssueFromRequestAsync("pejabat-signing", PkiTestCa.Official, File.ReadAllBytes(csr), "test");

        Assert.True(issued.Success, issued.Error);
        var path = _ca.Save("pejabat", issued.Value!);
        var verify = await _ca.VerifyAsync(path, "-purpose", "smimesign");
        Assert.True(verify.ExitCode == 0, verify.ToString());
        var text = (await ExternalTool.OpenSslAsync(_ca.Work, "x509", "-in", path, "-noout", "-text", "-nameopt", "RFC2253")).Output;
        Assert.Contains($"serialNumber={PkiTestCa.Nip}", text, StringComparison.Ordinal);
        Assert.Contains("OU=DISKOMINFO", text, StringComparison.Ordinal);
        Assert.Contains("title=Kepala Dinas", text, StringComparison.Ordinal);
        Assert.Contains("Digital Signature, Non Repudiation", text, StringComparison.Ordinal);
        Assert.Contains("E-mail Protection", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Code Signing", text, StringComparison.Ordinal);
        Assert.Contains("email:budi@kota.go.id", text, StringComparison.Ordinal);
        Assert.Contains("OCSP - URI:http://127.0.0.1:8080/pki/ocsp", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Seal_and_tls_server_certificates_chain_for_their_purposes()
    {
        var sealCsr = await _ca.RequestAsync("seal", "ec:P-256", "/CN=Dinas Komunikasi dan Informatika");
        var seal = await _ca.Authority.IssueFromRequestAsync("opd-seal", new SubjectInfo("Dinas Komunikasi dan Informatika", OpdCode: "DISKOMINFO"), File.ReadAllBytes(sealCsr), "test");
        var tlsCsr = await _ca.RequestAsync("tls", "rsa:3072", "/CN=layanan.kota.go.id");
        var tls = await _ca.Authority.IssueFromRequestAsync("tls-server",
            new SubjectInfo("Dinas Komunikasi dan Informatika", OpdCode: "DISKOMINFO", DnsNames: ["layanan.kota.go.id", "www.layanan.kota.go.id"]), File.ReadAllBytes(tlsCsr), "test");

        Assert.True(seal.Success, seal.Error);
        Assert.True(tls.Success, tls.Error);
        var sealVerify = await _ca.VerifyAsync(_ca.Save("seal", seal.Value!), "-purpose", "smimesign");
        Assert.True(sealVerify.ExitCode == 0, sealVerify.ToString());
        var tlsVerify = await _ca.VerifyAsync(_ca.Save("tls", tls.Value!), "-purpose", "sslserver", "-verify_hostname", "www.layanan.kota.go.id");
        Assert.True(tlsVerify.ExitCode == 0, tlsVerify.ToString());
        var wrongHost = await _ca.VerifyAsync(Path.Combine(_ca.Work, "tls.pem"), "-purpose", "sslserver", "-verify_hostname", "evil.example");
        Assert.NotEqual(0, wrongHost.ExitCode);
    }

    [Fact]
    public async Task Subject_values_are_written_literally_even_when_they_look_like_hex_der()
    {
        var csr = await _ca.RequestAsync("hash", "ec:P-256", "/CN=Budi Santoso");

        var issued = await _ca.Authority.IssueFromRequestAsync("pejabat-signing", PkiTestCa.Official with { Jabatan = "#0c03414243" }, File.ReadAllBytes(csr), "test");

        Assert.True(issued.Success, issued.Error);
        var text = await ExternalTool.OpenSslAsync(_ca.Work, "x509", "-in", _ca.Save("hash", issued.Value!), "-noout", "-subject", "-nameopt", "RFC2253");
        Assert.Contains("title=\\#0c03414243", text.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("rsa:2048")]
    [InlineData("ec:P-521")]
    public async Task Keys_the_profile_does_not_allow_are_refused(string keyType)
    {
        var csr = await _ca.RequestAsync("weak", keyType, "/CN=Budi Santoso");

        var issued = await _ca.Authority.IssueFromRequestAsync("pejabat-signing", PkiTestCa.Official, File.ReadAllBytes(csr), "test");

        Assert.Equal(PkiErrors.KeyNotAllowed, issued.ErrorCode);
    }

    [Theory]
    [InlineData("/CN=Orang Lain")]
    [InlineData("/CN=Budi Santoso/serialNumber=199001012015011001")]
    [InlineData("/CN=Budi Santoso/OU=BAPPEDA")]
    public async Task A_request_naming_someone_else_is_refused(string subject)
    {
        var csr = await _ca.RequestAsync("other", "ec:P-256", subject);

        var issued = await _ca.Authority.IssueFromRequestAsync("pejabat-signing", PkiTestCa.Official, File.ReadAllBytes(csr), "test");

        Assert.Equal(PkiErrors.SubjectMismatch, issued.ErrorCode);
    }

    [Fact]
    public async Task Unknown_and_service_profiles_and_incomplete_subjects_are_refused()
    {
        var csr = File.ReadAllBytes(await _ca.RequestAsync("x", "ec:P-256", "/CN=Budi Santoso"));

        Assert.Equal(PkiErrors.UnknownProfile, (await _ca.Authority.IssueFromRequestAsync("code-signing", PkiTestCa.Official, csr, "test")).ErrorCode);
        Assert.Equal(PkiErrors.UnknownProfile, (await _ca.Authority.IssueFromRequestAsync("ocsp-signing", PkiTestCa.Official, csr, "test")).ErrorCode);
        Assert.Equal(PkiErrors.SubjectInvalid, (await _ca.Authority.IssueFromRequestAsync("pejabat-signing", PkiTestCa.Official with { Nip = "12345" }, csr, "test")).ErrorCode);
        Assert.Equal(PkiErrors.SubjectInvalid, (await _ca.Authority.IssueFromRequestAsync("pejabat-signing", PkiTestCa.Official with { Jabatan = null }, csr, "test")).ErrorCode);
        foreach (var name in new[] { "*.kota.go.id", "10.0.0.1", "localhost", "google.com", "kota.go.id.evil.example" })
        {
            Assert.Equal(PkiErrors.SubjectInvalid, (await _ca.Authority.IssueFromRequestAsync("tls-server",
                new SubjectInfo("X", OpdCode: "DISKOMINFO", DnsNames: [name]), csr, "test")).ErrorCode);
        }
    }

    [Fact]
    public async Task Revocation_reaches_the_next_crl_at_once_and_cannot_happen_twice()
    {
        var csr = await _ca.RequestAsync("revoked", "ec:P-256", "/CN=Budi Santoso");
        var issued = (await _ca.Authority.IssueFromRequestAsync("pejabat-signing", PkiTestCa.Official, File.ReadAllBytes(csr), "test")).Value!;

        var revoked = await _ca.Authority.RevokeAsync(issued.Serial, RevocationReason.KeyCompromise, "officer");
        var twice = await _ca.Authority.RevokeAsync(issued.Serial, RevocationReason.Superseded, "officer");

        Assert.True(revoked.Success, revoked.Error);
        Assert.Equal(PkiErrors.InvalidTransition, twice.ErrorCode);
        var crl = await ExternalTool.OpenSslAsync(_ca.Work, "crl", "-inform", "DER", "-in", Path.Combine(_ca.PkiFolder, "crl", "issuing.crl"),
            "-CAfile", Path.Combine(_ca.PkiFolder, "issuing.crt"), "-noout", "-text");
        Assert.True(crl.ExitCode == 0, crl.ToString());
        Assert.Contains("verify OK", crl.Error + crl.Output, StringComparison.Ordinal);
        Assert.Contains(issued.Serial.ToUpperInvariant(), crl.Output, StringComparison.Ordinal);
        Assert.Contains("Key Compromise", crl.Output, StringComparison.Ordinal);
        var delta = await ExternalTool.OpenSslAsync(_ca.Work, "crl", "-inform", "DER", "-in", Path.Combine(_ca.PkiFolder, "crl", "issuing-delta.crl"), "-noout", "-text");
        Assert.Contains("Delta CRL Indicator", delta.Output, StringComparison.Ordinal);
        Assert.Contains(issued.Serial.ToUpperInvariant(), delta.Output, StringComparison.Ordinal);
        var check = await _ca.VerifyAsync(_ca.Save("revoked", issued), "-crl_check",
            "-CRLfile", await PemCrlAsync("issuing"));
        Assert.NotEqual(0, check.ExitCode);
        Assert.Contains("certificate revoked", check.Output + check.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_suspended_certificate_can_be_released_and_the_delta_crl_says_remove_from_crl()
    {
        var csr = await _ca.RequestAsync("held", "ec:P-256", "/CN=Budi Santoso");
        var issued = (await _ca.Authority.IssueFromRequestAsync("pejabat-signing", PkiTestCa.Official, File.ReadAllBytes(csr), "test")).Value!;

        var held = await _ca.Authority.RevokeAsync(issued.Serial, RevocationReason.CertificateHold, "officer");
        var released = await _ca.Authority.ReleaseHoldAsync(issued.Serial, "officer");
        var releasedTwice = await _ca.Authority.ReleaseHoldAsync(issued.Serial, "officer");

        Assert.Equal(CertificateState.OnHold, held.Value!.State);
        Assert.Equal(CertificateState.Good, released.Value!.State);
        Assert.Equal(PkiErrors.InvalidTransition, releasedTwice.ErrorCode);
        var full = await ExternalTool.OpenSslAsync(_ca.Work, "crl", "-inform", "DER", "-in", Path.Combine(_ca.PkiFolder, "crl", "issuing.crl"), "-noout", "-text");
        Assert.DoesNotContain(issued.Serial.ToUpperInvariant(), full.Output, StringComparison.Ordinal);
        var delta = await ExternalTool.OpenSslAsync(_ca.Work, "crl", "-inform", "DER", "-in", Path.Combine(_ca.PkiFolder, "crl", "issuing-delta.crl"), "-noout", "-text");
        Assert.Contains("Remove From CRL", delta.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_hold_made_final_after_a_new_base_reaches_the_delta_with_its_final_reason()
    {
        var csr = await _ca.RequestAsync("final", "ec:P-256", "/CN=Budi Santoso");
        var issued = (await _ca.Authority.IssueFromRequestAsync("pejabat-signing", PkiTestCa.Official, File.ReadAllBytes(csr), "test")).Value!;
        var held = (await _ca.Authority.RevokeAsync(issued.Serial, RevocationReason.CertificateHold, "officer")).Value!;
        // Note: the new base must come after the hold (times are in milliseconds).
        SpinWait.SpinUntil(() => TimeProvider.System.GetUtcNow() > held.RevokedAt!.Value.AddMilliseconds(1));
        await _ca.Authority.PublishCrlsAsync("officer");

        await _ca.Authority.RevokeAsync(issued.Serial, RevocationReason.KeyCompromise, "officer");

        var delta = await ExternalTool.OpenSslAsync(_ca.Work, "crl", "-inform", "DER", "-in", Path.Combine(_ca.PkiFolder, "crl", "issuing-delta.crl"), "-noout", "-text");
        Assert.Contains(issued.Serial.ToUpperInvariant(), delta.Output, StringComparison.Ordinal);
        Assert.Contains("Key Compromise", delta.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_ledger_records_every_step_and_any_alteration_is_detected()
    {
        var csr = await _ca.RequestAsync("ledger", "ec:P-256", "/CN=Budi Santoso");
        var issued = (await _ca.Authority.IssueFromRequestAsync("pejabat-signing", PkiTestCa.Official, File.ReadAllBytes(csr), "officer-1")).Value!;
        await _ca.Authority.RevokeAsync(issued.Serial, RevocationReason.Superseded, "officer-2");
        var verifier = _ca.Host.Services.GetRequiredService<LedgerVerifier>();

        var intact = await verifier.VerifyAsync();

        Assert.True(intact.Valid, intact.Reason);
        var contexts = _ca.Host.Services.GetRequiredService<IDbContextFactory<PkiStoreContext>>();
        await using (var context = await contexts.CreateDbContextAsync())
        {
            var actions = await context.Ledger.OrderBy(l => l.Sequence).Select(l => l.Action).ToListAsync();
            Assert.Equal(["ca-created", "ca-created", "certificate-issued", "certificate-issued", "crl-published", "crl-published", "certificate-issued",
                "certificate-revoked", "crl-published"], actions);
            var entry = await context.Ledger.SingleAsync(l => l.Action == "certificate-revoked");
            Assert.Equal("officer-2", entry.Actor);
            // Someone with database access rewrites who revoked the certificate.
            entry.Actor = "someone-else";
            await context.SaveChangesAsync();
        }

        var broken = await verifier.VerifyAsync();

        Assert.False(broken.Valid);
        Assert.Equal(8, broken.BrokenAt);
        SqliteConnection.ClearAllPools();
    }

    private async Task<string> PemCrlAsync(string name)
    {
        var pem = Path.Combine(_ca.Work, name + ".crl.pem");
        var run = await ExternalTool.OpenSslAsync(_ca.Work, "crl", "-inform", "DER", "-in", Path.Combine(_ca.PkiFolder, "crl", name + ".crl"), "-out", pem);
        Assert.True(run.ExitCode == 0, run.ToString());
        return pem;
    }
}
