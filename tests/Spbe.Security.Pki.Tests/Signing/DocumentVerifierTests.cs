using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Spbe.Security.Pki.Authority;
using Spbe.Security.Pki.Keys;
using Spbe.Security.Pki.Signing.Pdf;
using Spbe.Security.Testing;

namespace Spbe.Security.Pki.Signing;

/// <summary>Our verifier's verdicts, each case also put to the oracle script so that the two must agree.</summary>
public sealed partial class DocumentVerifierTests
{
    private static async Task<(VerificationReport Ours, ToolRun Oracle)> JudgeBothAsync(PkiTestCa ca, byte[] pdf, params string[] oracleArguments)
    {
        var path = Path.Combine(ca.Work, $"judged-{Guid.NewGuid():N}.pdf");
        await File.WriteAllBytesAsync(path, pdf);
        var ours = await ca.Host.Services.GetRequiredService<DocumentVerifier>().VerifyPdfAsync(pdf);
        var oracle = await SigningKit.JudgeAsync(ca, path, oracleArguments);
        return (ours, oracle);
    }

    private static async Task<byte[]> SignAsync(PkiTestCa ca, TestSigner signer, string corpus, PadesLevel level, bool visible = false) =>
        await ca.Host.Services.GetRequiredService<PadesSigner>().SignAsync(await File.ReadAllBytesAsync(SigningKit.Corpus(corpus)),
            SigningKit.Request(signer, level, visible ? new StampPlacement(1, 320, 90, 220, 60) : null));

    [SharedDataTheory]
    [InlineData(PadesLevel.BB, "B-B", "issuing-ca")]
    [InlineData(PadesLevel.BT, "B-T", "issuing-ca")]
    [InlineData(PadesLevel.BLT, "B-LT", "embedded-ocsp")]
    [InlineData(PadesLevel.BLTA, "B-LTA", "embedded-ocsp")]
    public async Task A_good_signature_passes_at_its_level_with_the_signer_named(PadesLevel level, string name, string revocationSource)
    {
        await using var ca = await PkiTestCa.CreateAsync();
        using var signer = await SigningKit.IssueAsync(ca, "Budi Santoso", PkiTestCa.Nip, KeyAlgorithm.EcdsaP256);
        var signed = await SignAsync(ca, signer, "lo-nota-dinas.pdf", level, visible: true);

        var (ours, oracle) = await JudgeBothAsync(ca, signed);

        Assert.True(oracle.ExitCode == 0, oracle.ToString());
        Assert.Equal(Indications.Passed, ours.Indication);
        var signature = ours.Signatures[0];
        Assert.Equal(name, signature.Level);
        Assert.Equal(revocationSource, signature.RevocationSource);
        Assert.Equal(new SignerIdentity("Budi Santoso", PkiTestCa.Nip, "Kepala Dinas", "DISKOMINFO", "Pemerintah Kota"), signature.Signer! with { Organization = "Pemerintah Kota" });
        Assert.Equal(signature.Coverage, level == PadesLevel.BB || level == PadesLevel.BT ? "whole-document" : "later-updates-allowed");
        Assert.Equal(level == PadesLevel.BLTA ? 2 : 1, ours.Signatures.Count);
    }

    [SharedDataFact]
    public async Task Three_signatures_in_turn_all_pass()
    {
        await using var ca = await PkiTestCa.CreateAsync();
        using var first = await SigningKit.IssueAsync(ca, "Siti Rahmawati", "199001012015032001", KeyAlgorithm.EcdsaP256);
        using var second = await SigningKit.IssueAsync(ca, "Agus Prasetyo", "198801012012031001", KeyAlgorithm.Rsa3072);
        using var third = await SigningKit.IssueAsync(ca, "Budi Santoso", PkiTestCa.Nip, KeyAlgorithm.EcdsaP384);
        var signer = ca.Host.Services.GetRequiredService<PadesSigner>();
        var document = await File.ReadAllBytesAsync(SigningKit.Corpus("qpdf-objstm-keputusan-walikota.pdf"));
        document = await signer.SignAsync(document, SigningKit.Request(first, PadesLevel.BLT));
        document = await signer.SignAsync(document, SigningKit.Request(second, PadesLevel.BLT));
        document = await signer.SignAsync(document, SigningKit.Request(third, PadesLevel.BLT, new StampPlacement(2, 320, 90, 220, 60)));

        var (ours, oracle) = await JudgeBothAsync(ca, document, "--require", "B-LT");

        Assert.True(oracle.ExitCode == 0, oracle.ToString());
        Assert.Equal(Indications.Passed, ours.Indication);
        Assert.Equal(["Siti Rahmawati", "Agus Prasetyo", "Budi Santoso"], ours.Signatures.Select(s => s.Signer!.Name));
        Assert.All(ours.Signatures, s => Assert.Equal("B-LT", s.Level));
    }

    [SharedDataFact]
    public async Task A_changed_byte_fails_both()
    {
        await using var ca = await PkiTestCa.CreateAsync();
        using var signer = await SigningKit.IssueAsync(ca, "Budi Santoso", PkiTestCa.Nip, KeyAlgorithm.EcdsaP256);
        var signed = await SignAsync(ca, signer, "lo-nota-dinas.pdf", PadesLevel.BT);
        signed[signed.Length / 3] ^= 0x20;

        var (ours, oracle) = await JudgeBothAsync(ca, signed);

        Assert.Equal(1, oracle.ExitCode);
        Assert.Equal(Indications.Failed, ours.Indication);
        Assert.Equal(SubIndications.HashFailure, ours.SubIndication);
    }

    [SharedDataFact]
    public async Task A_content_stream_replaced_in_a_later_update_is_a_shadow_attack()
    {
        await using var ca = await PkiTestCa.CreateAsync();
        using var signer = await SigningKit.IssueAsync(ca, "Budi Santoso", PkiTestCa.Nip, KeyAlgorithm.EcdsaP256);
        var signed = await SignAsync(ca, signer, "lo-nota-dinas.pdf", PadesLevel.BT, visible: true);
        var file = PdfFile.Open(signed);
        var contents = Assert.IsType<PdfReference>(file.Pages[0].Dictionary["Contents"]);
        var update = new PdfUpdate(file);
        update.Replace(contents, new PdfStream(new PdfDictionary(), "BT /F1 24 Tf 72 700 Td (DIBATALKAN) Tj ET"u8.ToArray()));
        var attacked = signed.Concat(update.Write().Bytes).ToArray();

        var ours = await ca.Host.Services.GetRequiredService<DocumentVerifier>().VerifyPdfAsync(attacked);

        Assert.Equal(Indications.Failed, ours.Indication);
        Assert.Equal(SubIndications.SigConstraintsFailure, ours.SubIndication);
        Assert.Equal("modified-after-signing", ours.Signatures[0].Coverage);
        Assert.True(ours.Signatures[0].Intact);
    }

    [SharedDataTheory]
    [InlineData("FreeText")]
    [InlineData("Square")]
    public async Task An_annotation_laid_over_the_signed_page_afterwards_is_a_shadow_attack(string subtype)
    {
        await using var ca = await PkiTestCa.CreateAsync();
        using var signer = await SigningKit.IssueAsync(ca, "Budi Santoso", PkiTestCa.Nip, KeyAlgorithm.EcdsaP256);
        var signed = await SignAsync(ca, signer, "lo-nota-dinas.pdf", PadesLevel.BT, visible: true);
        var file = PdfFile.Open(signed);
        var page = file.Page(0);
        var update = new PdfUpdate(file);
        var overlay = update.Add(new PdfDictionary
        {
            ["Type"] = new PdfName("Annot"),
            ["Subtype"] = new PdfName(subtype),
            ["Rect"] = new PdfArray([new PdfNumber(60L), new PdfNumber(600L), new PdfNumber(540L), new PdfNumber(700L)]),
            ["Contents"] = PdfString.Text("Nominal diubah"),
            ["IC"] = new PdfArray([new PdfNumber(1L), new PdfNumber(1L), new PdfNumber(1L)]),
        });
        var annots = (file.Resolve(page.Dictionary["Annots"]) as PdfArray)?.Items ?? [];
        if (page.Dictionary["Annots"] is PdfReference shared)
        {
            update.Replace(shared, new PdfArray([.. annots, overlay]));
        }
        else
        {
            update.Replace(page.Reference, new PdfDictionary(page.Dictionary) { ["Annots"] = new PdfArray([.. annots, overlay]) });
        }

        var attacked = signed.Concat(update.Write().Bytes).ToArray();
        var report = await ca.Host.Services.GetRequiredService<DocumentVerifier>().VerifyPdfAsync(attacked);

        Assert.Equal(Indications.Failed, report.Indication);
        Assert.Equal(SubIndications.SigConstraintsFailure, report.SubIndication);
    }

    [SharedDataFact]
    public async Task A_signature_made_after_revocation_fails_and_one_made_before_passes()
    {
        var clock = new FakeTimeProvider(TimeProvider.System.GetUtcNow());
        await using var ca = await PkiTestCa.CreateAsync(clock);
        using var signer = await SigningKit.IssueAsync(ca, "Budi Santoso", PkiTestCa.Nip, KeyAlgorithm.EcdsaP256);
        var document = await File.ReadAllBytesAsync(SigningKit.Corpus("lo-nota-dinas.pdf"));
        var pades = ca.Host.Services.GetRequiredService<PadesSigner>();
        var early = await pades.SignAsync(document, SigningKit.Request(signer, PadesLevel.BLT, at: clock.GetUtcNow()));
        clock.Advance(TimeSpan.FromHours(1));
        Assert.True((await ca.Authority.RevokeAsync(signer.Serial, RevocationReason.KeyCompromise, "test")).Success);
        clock.Advance(TimeSpan.FromHours(1));
        var late = await pades.SignAsync(document, SigningKit.Request(signer, PadesLevel.BT, at: clock.GetUtcNow()));

        var verifier = ca.Host.Services.GetRequiredService<DocumentVerifier>();
        var earlyReport = await verifier.VerifyPdfAsync(early);
        var (lateReport, lateOracle) = await JudgeBothAsync(ca, late, "--crl", Path.Combine(ca.PkiFolder, "crl", "issuing.crl"));

        Assert.Equal(Indications.Passed, earlyReport.Indication);
        Assert.Equal("embedded-ocsp", earlyReport.Signatures[0].RevocationSource);
        Assert.Equal(Indications.Failed, lateReport.Indication);
        Assert.Equal(SubIndications.Revoked, lateReport.SubIndication);
        Assert.Equal(1, lateOracle.ExitCode);
    }

    [SharedDataFact]
    public async Task An_expired_certificate_passes_when_a_timestamp_proves_the_signature_older_and_not_without_one()
    {
        // The signing certificate lives 730 days: signed 800 days ago, it ran out 70 days ago.
        var clock = new FakeTimeProvider(TimeProvider.System.GetUtcNow().AddDays(-800));
        await using var ca = await PkiTestCa.CreateAsync(clock);
        using var signer = await SigningKit.IssueAsync(ca, "Budi Santoso", PkiTestCa.Nip, KeyAlgorithm.EcdsaP256);
        var document = await File.ReadAllBytesAsync(SigningKit.Corpus("lo-nota-dinas.pdf"));
        var pades = ca.Host.Services.GetRequiredService<PadesSigner>();
        var signedAt = clock.GetUtcNow();
        var stamped = await pades.SignAsync(document, SigningKit.Request(signer, PadesLevel.BLT, at: signedAt));
        var bare = await pades.SignAsync(document, SigningKit.Request(signer, PadesLevel.BB, at: signedAt));
        clock.SetUtcNow(TimeProvider.System.GetUtcNow());

        var (stampedReport, stampedOracle) = await JudgeBothAsync(ca, stamped, "--keep");
        var (bareReport, bareOracle) = await JudgeBothAsync(ca, bare);

        // Without a timestamp nothing proves the signature was made while the certificate was valid: both refuse.
        Assert.Equal((Indications.Indeterminate, SubIndications.OutOfBoundsNoPoe), (bareReport.Indication, bareReport.SubIndication));
        Assert.Equal(1, bareOracle.ExitCode);

        // With one, we validate at the time it proves (ETSI EN 319 102-1 past signature validation). The oracle script
        // only judges at the present, where the certificate has expired; its own tools, asked about the proven time,
        // accept the same signature.
        Assert.Equal(Indications.Passed, stampedReport.Indication);
        Assert.Equal("B-LT", stampedReport.Signatures[0].Level);
        Assert.Equal(1, stampedOracle.ExitCode);
        Assert.Contains("expired", stampedOracle.ToString(), StringComparison.OrdinalIgnoreCase);
        var work = KeptWorkDirectory().Match(stampedOracle.Error).Groups[1].Value.Trim();
        Assert.True(Directory.Exists(work), stampedOracle.ToString());
        var provenAt = stampedReport.Signatures[0].TimestampTime!.Value;
        Assert.True(Math.Abs((provenAt - signedAt).TotalSeconds) < 2);
        var atTheTime = await ExternalTool.RunAsync("openssl", ["cms", "-verify", "-binary", "-inform", "DER", "-in", Path.Combine(work, "sig1.p7s"),
            "-content", Path.Combine(work, "sig1.data"), "-CAfile", Path.Combine(ca.PkiFolder, "root.crt"), "-partial_chain", "-purpose", "any",
            "-attime", provenAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), "-out", "/dev/null"], ca.Work);
        var now = await ExternalTool.RunAsync("openssl", ["cms", "-verify", "-binary", "-inform", "DER", "-in", Path.Combine(work, "sig1.p7s"),
            "-content", Path.Combine(work, "sig1.data"), "-CAfile", Path.Combine(ca.PkiFolder, "root.crt"), "-partial_chain", "-purpose", "any", "-out", "/dev/null"], ca.Work);
        Directory.Delete(work, recursive: true);
        Assert.True(atTheTime.ExitCode == 0, atTheTime.ToString());
        Assert.NotEqual(0, now.ExitCode);
        Assert.Contains("expired", now.ToString(), StringComparison.OrdinalIgnoreCase);
    }

    [SharedDataFact]
    public async Task A_signature_from_an_unknown_CA_is_indeterminate()
    {
        await using var ca = await PkiTestCa.CreateAsync();
        await using var other = await PkiTestCa.CreateAsync();
        using var stranger = await SigningKit.IssueAsync(other, "Orang Lain", "199202022020121001", KeyAlgorithm.EcdsaP256);
        var signed = await SignAsync(other, stranger, "lo-nota-dinas.pdf", PadesLevel.BB);

        var report = await ca.Host.Services.GetRequiredService<DocumentVerifier>().VerifyPdfAsync(signed);

        Assert.Equal(Indications.Indeterminate, report.Indication);
        Assert.Equal(SubIndications.NoCertificateChainFound, report.SubIndication);
        Assert.True(report.Signatures[0].Intact);
    }

    [SharedDataTheory]
    [InlineData("lo-nota-dinas.pdf", SubIndications.NoSignature)]
    [InlineData("qpdf-aes256-keputusan-walikota.pdf", SubIndications.FormatFailure)]
    [InlineData("malformed/truncated-surat-undangan.pdf", SubIndications.FormatFailure)]
    [InlineData("malformed/cycle-page-tree.pdf", SubIndications.NoSignature)]
    public async Task Unsigned_and_unreadable_files_are_indeterminate_not_errors(string name, string subIndication)
    {
        await using var ca = await PkiTestCa.CreateAsync();

        var report = await ca.Host.Services.GetRequiredService<DocumentVerifier>().VerifyPdfAsync(await File.ReadAllBytesAsync(SigningKit.Corpus(name)));

        Assert.Equal(Indications.Indeterminate, report.Indication);
        Assert.Equal(subIndication, report.SubIndication);
    }

    [GeneratedRegex("work dir kept: (.+)")]
    private static partial Regex KeptWorkDirectory();
}
