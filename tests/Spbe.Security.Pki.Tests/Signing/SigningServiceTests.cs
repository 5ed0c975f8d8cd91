using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Spbe.Security.Pki.Authority;
using Spbe.Security.Testing;

namespace Spbe.Security.Pki.Signing;

/// <summary>Signing for an official with a server-held key that only their passphrase opens.</summary>
[Trait("Category", "Database")]
public sealed class SigningServiceTests
{
    private const string Passphrase = "kata-sandi-penandatangan-2026";

    private static async Task EnrolAsync(PkiTestCa ca)
    {
        var registration = ca.Host.Services.GetRequiredService<RegistrationAuthority>();
        var requested = await registration.RequestAsync("pejabat-signing", PkiTestCa.Official, null, Passphrase, PkiTestCa.Nip);
        Assert.True(requested.Success, requested.Error);
        var approved = await registration.ApproveAsync(requested.Value!.Id, "petugas-pki");
        Assert.True(approved.Success, approved.Error);
    }

    private static SigningService Service(PkiTestCa ca) => ca.Host.Services.GetRequiredService<SigningService>();

    [SharedDataFact]
    public async Task An_enrolled_official_signs_on_the_anchor_and_the_result_verifies()
    {
        await using var ca = await PkiTestCa.CreateAsync();
        await EnrolAsync(ca);
        var document = await File.ReadAllBytesAsync(SigningKit.Corpus("lo-surat-undangan.pdf"));

        var signed = await Service(ca).SignPdfAsync(document, new SignRequest(PkiTestCa.Nip, Passphrase, Anchor: "#ttd#"));

        Assert.True(signed.Success, signed.Error);
        Assert.Equal("Budi Santoso", signed.Value!.SignerName);
        var report = await ca.Host.Services.GetRequiredService<DocumentVerifier>().VerifyPdfAsync(signed.Value.Pdf);
        Assert.Equal(Indications.Passed, report.Indication);
        Assert.Equal("B-LT", report.Signatures[0].Level);
        Assert.Equal(PkiTestCa.Nip, report.Signatures[0].Signer!.Nip);
    }

    [SharedDataFact]
    public async Task A_wrong_passphrase_is_refused_and_counted()
    {
        await using var ca = await PkiTestCa.CreateAsync();
        await EnrolAsync(ca);
        var document = await File.ReadAllBytesAsync(SigningKit.Corpus("lo-nota-dinas.pdf"));

        var refused = await Service(ca).SignPdfAsync(document, new SignRequest(PkiTestCa.Nip, "bukan-kata-sandinya-sama-sekali"));

        Assert.Equal(PkiErrors.WrongPassphrase, refused.ErrorCode);
        Assert.Contains($"{RegistrationAuthority.MaxPassphraseFailures - 1} tries left", refused.Error, StringComparison.Ordinal);
    }

    [SharedDataFact]
    public async Task Signatures_and_refusals_are_recorded_for_monitoring_and_the_QR_record()
    {
        var clock = new FakeTimeProvider(TimeProvider.System.GetUtcNow());
        await using var ca = await PkiTestCa.CreateAsync(clock);
        await EnrolAsync(ca);
        var document = await File.ReadAllBytesAsync(SigningKit.Corpus("lo-nota-dinas.pdf"));
        var from = clock.GetUtcNow().AddDays(-1);

        var signed = await Service(ca).SignPdfAsync(document, new SignRequest(PkiTestCa.Nip, Passphrase, PadesLevel.BT));
        var refused = await Service(ca).SignPdfAsync(document, new SignRequest(PkiTestCa.Nip, "salah-sekali-lagi-2026"));
        var records = ca.Host.Services.GetRequiredService<SigningRecords>();

        Assert.True(signed.Success, signed.Error);
        Assert.False(refused.Success);
        var record = await records.FindDocumentAsync(signed.Value!.DocumentId);
        Assert.NotNull(record);
        Assert.Equal(("Budi Santoso", PkiTestCa.Nip, "DISKOMINFO", "B-T", signed.Value.Sha256), (record.SignerName, record.Nip, record.Opd, record.Level, record.Sha256));
        Assert.Null(await records.FindDocumentAsync(Guid.NewGuid()));
        var usage = await records.UsageAsync("DISKOMINFO", from, clock.GetUtcNow().AddDays(1));
        var row = Assert.Single(usage.Rows);
        Assert.Equal((PkiTestCa.Nip, 1, 1), (row.Nip, row.Signed, row.Refused));
        Assert.Empty(usage.Expiring);
        Assert.Empty((await records.UsageAsync("BAPPEDA", from, clock.GetUtcNow().AddDays(1))).Rows);

        // A certificate within a month of its end is listed.
        var certificate = await ca.Host.Services.GetRequiredService<RegistrationAuthority>().FindSigningCertificateAsync(PkiTestCa.Nip);
        clock.SetUtcNow(certificate!.NotAfter - TimeSpan.FromDays(10));
        var later = await records.UsageAsync(null, from, clock.GetUtcNow());
        Assert.Equal(certificate.Serial, Assert.Single(later.Expiring).Serial);
    }

    [SharedDataTheory]
    [InlineData("qpdf-aes256-ownerpw-keputusan-walikota.pdf", SigningErrors.DocumentEncrypted)]
    [InlineData("malformed/truncated-surat-undangan.pdf", SigningErrors.DocumentUnreadable)]
    [InlineData("malformed/broken-xref-offsets-surat-tugas.pdf", SigningErrors.DocumentUnreadable)]
    public async Task Unsignable_files_are_refused_before_the_key_is_touched(string name, string code)
    {
        await using var ca = await PkiTestCa.CreateAsync();
        await EnrolAsync(ca);

        var refused = await Service(ca).SignPdfAsync(await File.ReadAllBytesAsync(SigningKit.Corpus(name)), new SignRequest(PkiTestCa.Nip, "salah-tapi-tidak-dihitung"));

        Assert.Equal(code, refused.ErrorCode);
        // The wrong passphrase was never tried: the right one still has every try left.
        var signed = await Service(ca).SignPdfAsync(await File.ReadAllBytesAsync(SigningKit.Corpus("lo-nota-dinas.pdf")), new SignRequest(PkiTestCa.Nip, "salah-lagi-sekarang-dihitung"));
        Assert.Contains($"{RegistrationAuthority.MaxPassphraseFailures - 1} tries left", signed.Error, StringComparison.Ordinal);
    }

    [SharedDataFact]
    public async Task Missing_anchor_bad_placement_and_unknown_official_have_their_codes()
    {
        await using var ca = await PkiTestCa.CreateAsync();
        await EnrolAsync(ca);
        var scan = await File.ReadAllBytesAsync(SigningKit.Corpus("scan-surat-undangan.pdf"));
        var service = Service(ca);

        Assert.Equal(SigningErrors.AnchorNotFound, (await service.SignPdfAsync(scan, new SignRequest(PkiTestCa.Nip, Passphrase, Anchor: "#ttd#"))).ErrorCode);
        Assert.Equal(SigningErrors.PlacementInvalid, (await service.SignPdfAsync(scan, new SignRequest(PkiTestCa.Nip, Passphrase, Placement: new StampPlacement(9, 10, 10, 200, 50)))).ErrorCode);
        Assert.Equal(SigningErrors.NoSigningCertificate, (await service.SignPdfAsync(scan, new SignRequest("199001012015032001", Passphrase))).ErrorCode);
    }
}
