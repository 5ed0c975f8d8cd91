using Microsoft.Extensions.DependencyInjection;
using Spbe.Security.Pki.Keys;
using Spbe.Security.Pki.Signing.Pdf;
using Spbe.Security.Testing;

namespace Spbe.Security.Pki.Signing;

/// <summary>PAdES signatures on the naskah dinas corpus, judged by tools nobody here wrote
/// (../shared/tools/pdf-signature-oracles.sh: poppler pdfsig, openssl cms/ts, NSS vfychain, qpdf).</summary>
public sealed class PadesSignerTests
{
    private static string Corpus(string name) => SigningKit.Corpus(name);

    private static Task<TestSigner> IssueAsync(PkiTestCa ca, string name, string nip, KeyAlgorithm algorithm) => SigningKit.IssueAsync(ca, name, nip, algorithm);

    private static PadesRequest Request(TestSigner signer, PadesLevel level, StampPlacement? placement = null) => SigningKit.Request(signer, level, placement);

    private static Task<ToolRun> JudgeAsync(PkiTestCa ca, string pdf, params string[] extra) => SigningKit.JudgeAsync(ca, pdf, extra);

    [SharedDataTheory]
    [InlineData("lo-nota-dinas.pdf")]
    [InlineData("chromium-surat-undangan.pdf")]
    [InlineData("gs-pdfwrite-surat-undangan.pdf")]
    [InlineData("qpdf-objstm-keputusan-walikota.pdf")]
    [InlineData("qpdf-linearized-keputusan-walikota.pdf")]
    [InlineData("incr-xrefstm-keputusan-walikota.pdf")]
    [InlineData("incr-after-linearized-keputusan-walikota.pdf")]
    [InlineData("lo-pdfa2b-keputusan-walikota.pdf")]
    [InlineData("scan-surat-undangan.pdf")]
    public async Task A_signed_file_passes_every_oracle_and_keeps_the_original_bytes(string name)
    {
        await using var ca = await PkiTestCa.CreateAsync();
        using var signer = await IssueAsync(ca, "Budi Santoso", PkiTestCa.Nip, KeyAlgorithm.EcdsaP256);
        var original = await File.ReadAllBytesAsync(Corpus(name));
        var signed = await ca.Host.Services.GetRequiredService<PadesSigner>()
            .SignAsync(original, Request(signer, PadesLevel.BB, new StampPlacement(1, 300, 100, 220, 70)));

        Assert.Equal(original, signed[..original.Length]);
        var path = Path.Combine(ca.Work, "signed.pdf");
        await File.WriteAllBytesAsync(path, signed);
        var verdict = await JudgeAsync(ca, path, "--require", "B-B");
        Assert.True(verdict.ExitCode == 0, verdict.ToString());
    }

    [SharedDataFact]
    public async Task Three_signers_in_turn_all_stay_valid_with_RSA_and_ECDSA_and_timestamps()
    {
        await using var ca = await PkiTestCa.CreateAsync();
        using var first = await IssueAsync(ca, "Siti Rahmawati", "199001012015032001", KeyAlgorithm.EcdsaP256);
        using var second = await IssueAsync(ca, "Agus Prasetyo", "198801012012031001", KeyAlgorithm.Rsa3072);
        using var pejabat = await IssueAsync(ca, "Budi Santoso", PkiTestCa.Nip, KeyAlgorithm.EcdsaP384);
        var signer = ca.Host.Services.GetRequiredService<PadesSigner>();

        var document = await File.ReadAllBytesAsync(Corpus("lo-surat-undangan.pdf"));
        document = await signer.SignAsync(document, Request(first, PadesLevel.BT));
        document = await signer.SignAsync(document, Request(second, PadesLevel.BT));
        var anchor = TextAnchor.Find(document, "#ttd#", 220, 50);
        Assert.Equal(1, anchor?.Page);
        document = await signer.SignAsync(document, Request(pejabat, PadesLevel.BT, anchor));

        var path = Path.Combine(ca.Work, "three.pdf");
        await File.WriteAllBytesAsync(path, document);
        var verdict = await JudgeAsync(ca, path, "--require", "B-T");
        Assert.True(verdict.ExitCode == 0, verdict.ToString());
        Assert.Contains("3 signatures", verdict.Error + verdict.Output, StringComparison.Ordinal);
    }

    [SharedDataTheory]
    [InlineData(PadesLevel.BT, "B-T")]
    [InlineData(PadesLevel.BLT, "B-LT")]
    [InlineData(PadesLevel.BLTA, "B-LTA")]
    public async Task Each_level_is_reached_as_the_oracles_judge_it(PadesLevel level, string name)
    {
        await using var ca = await PkiTestCa.CreateAsync();
        using var signer = await IssueAsync(ca, "Budi Santoso", PkiTestCa.Nip, KeyAlgorithm.Rsa3072);
        var original = await File.ReadAllBytesAsync(Corpus("incr-xrefstm-keputusan-walikota.pdf"));
        var signed = await ca.Host.Services.GetRequiredService<PadesSigner>().SignAsync(original, Request(signer, level, new StampPlacement(2, 320, 90, 230, 75)));

        var path = Path.Combine(ca.Work, "level.pdf");
        await File.WriteAllBytesAsync(path, signed);
        var verdict = await JudgeAsync(ca, path, "--require", name);
        Assert.True(verdict.ExitCode == 0, verdict.ToString());
        Assert.Contains($"PAdES level {name}", verdict.Output + verdict.Error, StringComparison.Ordinal);
    }

    [ToolFact("zbarimg", "zbar-tools")]
    public async Task Scanning_the_stamp_on_the_rendered_page_gives_the_verification_address()
    {
        await using var ca = await PkiTestCa.CreateAsync();
        using var signer = await IssueAsync(ca, "Budi Santoso", PkiTestCa.Nip, KeyAlgorithm.EcdsaP256);
        var address = new Uri($"https://sso.kota.go.id/verifikasi/{Guid.NewGuid():N}");
        var request = Request(signer, PadesLevel.BB, new StampPlacement(1, 300, 80, 220, 60)) with
        {
            Stamp = new StampContent(["Budi Santoso", "Kepala Dinas", "DISKOMINFO", "24-11-2026 09:00 WIB"], address),
        };

        var signed = await ca.Host.Services.GetRequiredService<PadesSigner>().SignAsync(SigningKit.MinimalPdf(), request);

        // A phone's view of the printed page: poppler renders it, zbar (a decoder nobody here wrote) reads the code.
        await File.WriteAllBytesAsync(Path.Combine(ca.Work, "stamped.pdf"), signed);
        var render = await ExternalTool.RunAsync("pdftoppm", ["-r", "200", "-png", "-f", "1", "-l", "1", "stamped.pdf", "page"], ca.Work);
        Assert.True(render.ExitCode == 0, render.ToString());
        var scan = await ExternalTool.RunAsync("zbarimg", ["--raw", "-q", Directory.GetFiles(ca.Work, "page*.png").Single()], ca.Work);
        Assert.True(scan.ExitCode == 0, scan.ToString());
        Assert.Equal(address.AbsoluteUri, scan.Output.Trim());
    }

    [Theory]
    [InlineData(PadesLevel.BB)]
    [InlineData(PadesLevel.BLT)]
    public async Task Signing_into_a_stream_writes_the_original_bytes_then_the_signature(PadesLevel level)
    {
        await using var ca = await PkiTestCa.CreateAsync();
        using var signer = await IssueAsync(ca, "Budi Santoso", PkiTestCa.Nip, KeyAlgorithm.EcdsaP256);
        var original = SigningKit.MinimalPdf();
        using var output = new MemoryStream();

        await ca.Host.Services.GetRequiredService<PadesSigner>().SignAsync(original, Request(signer, level, new StampPlacement(1, 300, 80, 220, 60)), output);

        var signed = output.ToArray();
        Assert.True(signed.AsSpan(0, original.Length).SequenceEqual(original), "the original bytes come first, unchanged");
        var report = await ca.Host.Services.GetRequiredService<DocumentVerifier>().VerifyPdfAsync(signed);
        Assert.Equal(Indications.Passed, report.Indication);
        Assert.Equal(level == PadesLevel.BB ? "B-B" : "B-LT", Assert.Single(report.Signatures).Level);
    }

    [SharedDataFact]
    public async Task A_byte_changed_after_signing_fails_the_oracles()
    {
        await using var ca = await PkiTestCa.CreateAsync();
        using var signer = await IssueAsync(ca, "Budi Santoso", PkiTestCa.Nip, KeyAlgorithm.EcdsaP256);
        var original = await File.ReadAllBytesAsync(Corpus("lo-nota-dinas.pdf"));
        var signed = await ca.Host.Services.GetRequiredService<PadesSigner>().SignAsync(original, Request(signer, PadesLevel.BB));

        // Note: a byte inside the first page's content stream region, well before the signature.
        signed[original.Length / 2] ^= 0x01;
        var path = Path.Combine(ca.Work, "tampered.pdf");
        await File.WriteAllBytesAsync(path, signed);
        var verdict = await JudgeAsync(ca, path);
        Assert.True(verdict.ExitCode == 1, verdict.ToString());
    }

    [SharedDataTheory]
    [InlineData("qpdf-aes256-keputusan-walikota.pdf")]
    [InlineData("malformed/truncated-surat-undangan.pdf")]
    [InlineData("malformed/broken-xref-offsets-surat-tugas.pdf")]
    public async Task Files_that_cannot_be_signed_safely_are_refused_with_a_reason(string name)
    {
        await using var ca = await PkiTestCa.CreateAsync();
        using var signer = await IssueAsync(ca, "Budi Santoso", PkiTestCa.Nip, KeyAlgorithm.EcdsaP256);
        var bytes = await File.ReadAllBytesAsync(Corpus(name));

        var refused = await Assert.ThrowsAsync<PdfFormatException>(() =>
            ca.Host.Services.GetRequiredService<PadesSigner>().SignAsync(bytes, Request(signer, PadesLevel.BB)));
        Assert.False(string.IsNullOrWhiteSpace(refused.Message));
    }

    [SharedDataTheory]
    [InlineData("malformed/cycle-indirect-length.pdf")]
    [InlineData("malformed/cycle-page-tree.pdf")]
    public async Task Files_with_loops_off_the_signing_path_sign_without_following_them(string name)
    {
        await using var ca = await PkiTestCa.CreateAsync();
        using var signer = await IssueAsync(ca, "Budi Santoso", PkiTestCa.Nip, KeyAlgorithm.EcdsaP256);
        var bytes = await File.ReadAllBytesAsync(Corpus(name));

        // Note: a /Length that loops is read by finding endstream; a page tree that loops is descended along /Count
        // to the one page needed, never around the loop (the manifest allows either refusing or reading the page).
        var signed = await ca.Host.Services.GetRequiredService<PadesSigner>().SignAsync(bytes, Request(signer, PadesLevel.BB));

        Assert.Equal(bytes, signed[..bytes.Length]);
        Assert.Equal(2, PdfFile.Open(signed).Sections.Count);
    }
}
