using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.DependencyInjection;
using Spbe.Security.Pki.Ledger;
using Spbe.Security.Pki.Persistence;

namespace Spbe.Security.Pki.Authority;

/// <summary>The registration workflow: request, approve or reject, renewal and re-key, and server-held keys that only
/// the official's passphrase opens.</summary>
[Trait("Category", "Database")]
public sealed class RegistrationAuthorityTests : IAsyncLifetime
{
    private const string Officer = "197001011995031001";
    private const string Passphrase = "frasa sandi pejabat yang panjang";
    private PkiTestCa _ca = null!;

    public async Task InitializeAsync() => _ca = await PkiTestCa.CreateAsync();

    public async Task DisposeAsync() => await _ca.DisposeAsync();

    private RegistrationAuthority Registration => _ca.Host.Services.GetRequiredService<RegistrationAuthority>();

    [Fact]
    public async Task A_csr_request_waits_for_an_officer_and_approval_issues_a_certificate_openssl_accepts()
    {
        var csr = await _ca.RequestAsync("ra", "ec:P-256", "/CN=Budi Santoso");

        var requested = await Registration.RequestAsync("pejabat-signing", PkiTestCa.Official, File.ReadAllBytes(csr), null, PkiTestCa.Nip);
        var pending = await Registration.ListAsync(RegistrationState.Pending, "DISKOMINFO");
        var approved = await Registration.ApproveAsync(requested.Value!.Id, Officer);
        var again = await Registration.ApproveAsync(requested.Value!.Id, Officer);

        Assert.True(requested.Success, requested.Error);
        Assert.Equal(requested.Value.Id, Assert.Single(pending).Id);
        Assert.True(approved.Success, approved.Error);
        Assert.Equal(PkiErrors.UnknownRequest, again.ErrorCode);
        var verify = await _ca.VerifyAsync(_ca.Save("ra", approved.Value!), "-purpose", "smimesign");
        Assert.True(verify.ExitCode == 0, verify.ToString());
        var issued = Assert.Single(await Registration.ListAsync(RegistrationState.Issued));
        Assert.Equal(approved.Value!.Serial, issued.Serial);
        Assert.Equal(Officer, issued.DecidedBy);
    }

    [Fact]
    public async Task An_officer_cannot_approve_their_own_request_and_a_rejection_keeps_its_reason()
    {
        var csr = File.ReadAllBytes(await _ca.RequestAsync("self", "ec:P-256", "/CN=Budi Santoso"));
        var requested = (await Registration.RequestAsync("pejabat-signing", PkiTestCa.Official, csr, null, PkiTestCa.Nip)).Value!;

        var self = await Registration.ApproveAsync(requested.Id, PkiTestCa.Nip);
        var rejected = await Registration.RejectAsync(requested.Id, Officer, "KTP tidak sesuai");
        var approveAfter = await Registration.ApproveAsync(requested.Id, Officer);

        Assert.Equal(PkiErrors.SelfApproval, self.ErrorCode);
        Assert.Equal(RegistrationState.Rejected, rejected.Value!.State);
        Assert.Equal("KTP tidak sesuai", rejected.Value.Note);
        Assert.Equal(PkiErrors.UnknownRequest, approveAfter.ErrorCode);
    }

    [Fact]
    public async Task A_server_generated_key_opens_only_with_the_passphrase_and_locks_after_repeated_wrong_ones()
    {
        var requested = await Registration.RequestAsync("pejabat-signing", PkiTestCa.Official, null, Passphrase, Officer);
        var issued = (await Registration.ApproveAsync(requested.Value!.Id, Officer)).Value!;

        using (var opened = (await Registration.UnlockSignerKeyAsync(issued.Serial, Passphrase)).Value!)
        {
            // The key belongs to the certificate: a signature made with it verifies with the certificate's public key.
            using var certificate = X509CertificateLoader.LoadCertificate(issued.Der);
            var signature = opened.SignData("naskah"u8);
            Assert.True(certificate.GetECDsaPublicKey()!.VerifyData("naskah"u8, signature, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence));
        }

        var results = new List<string?>();
        for (var attempt = 0; attempt < RegistrationAuthority.MaxPassphraseFailures; attempt++)
        {
            results.Add((await Registration.UnlockSignerKeyAsync(issued.Serial, "tebakan yang salah " + attempt)).ErrorCode);
        }

        var afterLock = await Registration.UnlockSignerKeyAsync(issued.Serial, Passphrase);

        Assert.Equal([.. Enumerable.Repeat(PkiErrors.WrongPassphrase, RegistrationAuthority.MaxPassphraseFailures - 1), PkiErrors.SignerKeyLocked], results);
        Assert.Equal(PkiErrors.SignerKeyLocked, afterLock.ErrorCode);
        Assert.True((await _ca.Host.Services.GetRequiredService<LedgerVerifier>().VerifyAsync()).Valid);
    }

    [Fact]
    public async Task The_stored_key_is_useless_without_the_passphrase()
    {
        var requested = await Registration.RequestAsync("pejabat-signing", PkiTestCa.Official, null, Passphrase, Officer);
        var contexts = _ca.Host.Services.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<PkiStoreContext>>();
        await using var context = await contexts.CreateDbContextAsync();
        var stored = context.SignerKeys.Single();

        Assert.False(Keys.PassphraseKeyWrap.TryUnwrap(stored.Wrapped, "", stored.Id, out _));
        Assert.False(Keys.PassphraseKeyWrap.TryUnwrap(stored.Wrapped, Passphrase, Guid.NewGuid(), out _));
        Assert.True(Keys.PassphraseKeyWrap.TryUnwrap(stored.Wrapped, Passphrase, requested.Value!.Id, out var pkcs8));
        CryptographicOperations.ZeroMemory(pkcs8);
        Assert.Equal(PkiErrors.PassphraseTooWeak, (await Registration.RequestAsync("pejabat-signing", PkiTestCa.Official, null, "pendek", Officer)).ErrorCode);
        Assert.Equal(PkiErrors.KeyNotAllowed, (await Registration.RequestAsync("tls-server",
            new SubjectInfo("Dinas", OpdCode: "DISKOMINFO", DnsNames: ["a.kota.go.id"]), null, Passphrase, Officer)).ErrorCode);
    }

    [Fact]
    public async Task Renewal_keeps_the_key_re_key_changes_it_and_both_supersede_the_old_certificate()
    {
        var first = (await Registration.ApproveAsync((await Registration.RequestAsync("pejabat-signing", PkiTestCa.Official, null, Passphrase, Officer)).Value!.Id, Officer)).Value!;

        var renewal = await Registration.RequestAsync("pejabat-signing", PkiTestCa.Official, null, null, Officer, replaces: first.Serial);
        var renewed = (await Registration.ApproveAsync(renewal.Value!.Id, Officer)).Value!;
        // The renewed certificate's key is still the official's server-held key, opened by the same passphrase.
        var unlockedRenewed = (await Registration.UnlockSignerKeyAsync(renewed.Serial, Passphrase)).Success;
        var csr = File.ReadAllBytes(await _ca.RequestAsync("rekey", "ec:P-384", "/CN=Budi Santoso"));
        var rekey = await Registration.RequestAsync("pejabat-signing", PkiTestCa.Official, csr, null, Officer, replaces: renewed.Serial);
        var rekeyed = (await Registration.ApproveAsync(rekey.Value!.Id, Officer)).Value!;

        using var a = X509CertificateLoader.LoadCertificate(first.Der);
        using var b = X509CertificateLoader.LoadCertificate(renewed.Der);
        using var c = X509CertificateLoader.LoadCertificate(rekeyed.Der);
        Assert.Equal(a.PublicKey.EncodedKeyValue.RawData, b.PublicKey.EncodedKeyValue.RawData);
        Assert.NotEqual(b.PublicKey.EncodedKeyValue.RawData, c.PublicKey.EncodedKeyValue.RawData);
        Assert.Equal(RevocationReason.Superseded, (await _ca.Authority.FindAsync(first.Serial))!.Reason);
        Assert.Equal(RevocationReason.Superseded, (await _ca.Authority.FindAsync(renewed.Serial))!.Reason);
        Assert.Equal(CertificateState.Good, (await _ca.Authority.FindAsync(rekeyed.Serial))!.State);
        Assert.True(unlockedRenewed);
        // Once superseded by the re-key, that key signs nothing any more.
        Assert.Equal(PkiErrors.InvalidTransition, (await Registration.UnlockSignerKeyAsync(renewed.Serial, Passphrase)).ErrorCode);
        Assert.Equal(PkiErrors.InvalidTransition, (await Registration.RequestAsync("pejabat-signing", PkiTestCa.Official, null, null, Officer, replaces: first.Serial)).ErrorCode);
    }

    [Fact]
    public async Task Two_officers_approving_at_once_issue_one_certificate()
    {
        var requested = (await Registration.RequestAsync("pejabat-signing", PkiTestCa.Official, null, Passphrase, Officer)).Value!;

        var results = await Task.WhenAll(Registration.ApproveAsync(requested.Id, Officer), Registration.ApproveAsync(requested.Id, "196901011990031002"));
        var reject = await Registration.RejectAsync(requested.Id, Officer, "terlambat");

        Assert.Single(results, r => r.Success);
        Assert.Single(results, r => r.ErrorCode == PkiErrors.UnknownRequest);
        Assert.Equal(PkiErrors.UnknownRequest, reject.ErrorCode);
        Assert.Single(await Registration.ListAsync(RegistrationState.Issued));
    }

    [Fact]
    public async Task A_suspended_certificate_cannot_be_renewed_and_a_changed_account_must_ask_again()
    {
        var first = (await Registration.ApproveAsync((await Registration.RequestAsync("pejabat-signing", PkiTestCa.Official, null, Passphrase, Officer)).Value!.Id, Officer)).Value!;
        var pendingRenewal = (await Registration.RequestAsync("pejabat-signing", PkiTestCa.Official, null, null, Officer, replaces: first.Serial)).Value!;
        await _ca.Authority.RevokeAsync(first.Serial, RevocationReason.CertificateHold, Officer);

        var renewWhileHeld = await Registration.RequestAsync("pejabat-signing", PkiTestCa.Official, null, null, Officer, replaces: first.Serial);
        var approveWhileHeld = await Registration.ApproveAsync(pendingRenewal.Id, Officer);
        var seal = await Registration.RequestAsync("opd-seal", new SubjectInfo("Dinas Komunikasi dan Informatika", OpdCode: "DISKOMINFO"), null, null, Officer, replaces: first.Serial);
        var moved = (await Registration.RequestAsync("pejabat-signing", PkiTestCa.Official, null, Passphrase, Officer)).Value!;
        var approveMoved = await Registration.ApproveAsync(moved.Id, Officer, current: PkiTestCa.Official with { OpdCode = "BAPPEDA" });

        Assert.Equal(PkiErrors.InvalidTransition, renewWhileHeld.ErrorCode);
        Assert.Equal(PkiErrors.InvalidTransition, approveWhileHeld.ErrorCode);
        Assert.Equal(CertificateState.OnHold, (await _ca.Authority.FindAsync(first.Serial))!.State);
        Assert.Equal(PkiErrors.UnknownCertificate, seal.ErrorCode);
        Assert.Equal(PkiErrors.SubjectInvalid, approveMoved.ErrorCode);
        Assert.Equal(PkiErrors.InvalidTransition, (await Registration.UnlockSignerKeyAsync(first.Serial, Passphrase)).ErrorCode);
    }

    [Fact]
    public async Task Every_use_of_a_server_held_key_is_in_the_ledger()
    {
        var issued = (await Registration.ApproveAsync((await Registration.RequestAsync("pejabat-signing", PkiTestCa.Official, null, Passphrase, Officer)).Value!.Id, Officer)).Value!;

        using (var key = (await Registration.UnlockSignerKeyAsync(issued.Serial, Passphrase)).Value!)
        {
            Assert.Equal("ecdsa-p256", key.Algorithm.Name);
        }

        var contexts = _ca.Host.Services.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<PkiStoreContext>>();
        await using var context = await contexts.CreateDbContextAsync();
        var entry = context.Ledger.Single(l => l.Action == "signer-key-unlocked");
        Assert.Equal(PkiTestCa.Nip, entry.Actor);
        Assert.Equal(issued.Serial, entry.Target);
    }
}
