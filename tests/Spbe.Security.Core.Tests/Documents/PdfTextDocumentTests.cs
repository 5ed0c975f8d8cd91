using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Spbe.Security.Testing;

namespace Spbe.Security.Documents;

/// <summary>The plain PDF writer, judged by qpdf (structure) and pdftotext (the text a reader gets), on hostile text too.</summary>
public sealed class PdfTextDocumentTests
{
    private static async Task<string> TextOfAsync(byte[] pdf)
    {
        using var temp = new TempDirectory();
        var file = Path.Combine(temp.Path, "d.pdf");
        await File.WriteAllBytesAsync(file, pdf);
        var check = await ExternalTool.RunAsync("qpdf", ["--check", file]);
        Assert.True(check.ExitCode == 0, check.ToString());
        var text = await ExternalTool.RunAsync("pdftotext", ["-layout", file, "-"]);
        Assert.True(text.ExitCode == 0, text.ToString());
        return text.Output;
    }

    [Fact]
    public async Task ALongDocument_BreaksAcrossNumberedPages_AndKeepsEveryWord()
    {
        var pdf = new PdfTextDocument("Uji (laporan)");
        pdf.Centred("PEMERINTAH KOTA CONTOH");
        pdf.Heading("Ringkasan");
        pdf.Field("Insiden", "#42 SSH: brute force dari 203.0.113.9");
        pdf.Field("Hash", new string('q', 64) + " " + new string('b', 64));
        pdf.Table(["No", "Keterangan"], Enumerable.Range(1, 120).Select(i => (IReadOnlyList<string>)[i.ToString(System.Globalization.CultureInfo.InvariantCulture), $"baris ke-{i} dengan (kurung) dan \\garis miring"]), [1, 6]);
        pdf.Paragraph("Kota Contoh, 24 November 2026 #ttd# Dinas Komunikasi dan Informatika.");
        var text = await TextOfAsync(pdf.ToPdf());
        Assert.Contains("PEMERINTAH KOTA CONTOH", text, StringComparison.Ordinal);
        Assert.Contains("baris ke-120 dengan (kurung) dan \\garis miring", text, StringComparison.Ordinal);
        Assert.Equal(64, text.Count(c => c == 'q')); // wrapped inside the word, nothing lost
        Assert.Contains("#ttd#", text, StringComparison.Ordinal);
        Assert.Contains("Halaman 1 dari", text, StringComparison.Ordinal);
        Assert.Matches("Halaman [2-9] dari [2-9]", text);
    }

    [Fact]
    public async Task HostileText_IsShownAsText_AndCannotChangeTheStructure()
    {
        var pdf = new PdfTextDocument(") /JavaScript (app.alert(1)");
        pdf.Paragraph(") Tj ET BT /F1 40 Tf 0 0 Td (dipalsukan) Tj ET BT (");
        pdf.Paragraph("<script>alert(1)</script> endstream endobj 99 0 obj trailer\r\nÄpfel Café ✓ 中文 \u0000\u0007");
        var bytes = pdf.ToPdf();
        var text = await TextOfAsync(bytes);
        Assert.Contains(") Tj ET BT /F1 40 Tf 0 0 Td (dipalsukan) Tj ET BT (", text, StringComparison.Ordinal);
        Assert.Contains("Apfel Cafe ? ??", text, StringComparison.Ordinal);
        Assert.Contains("<script>alert(1)</script> endstream endobj 99 0 obj trailer", text, StringComparison.Ordinal);
        Assert.DoesNotContain("/JavaScript (", System.Text.Encoding.Latin1.GetString(bytes), StringComparison.Ordinal);
    }

    [Property(MaxTest = 300)]
    public bool WrappedLines_FitTheirWidth_AndLoseNoCharacter(NonEmptyString text, PositiveInt width)
    {
        var clean = PdfTextDocument.Clean(text.Get).Replace('\n', ' ');
        var limit = 20 + (width.Get % 400);
        var lines = PdfTextDocument.Wrap(clean, 10, bold: false, limit);
        return lines.All(l => PdfTextDocument.Measure(l, 10, false) <= limit || l.Length == 1)
            && string.Concat(lines).Replace(" ", "", StringComparison.Ordinal) == clean.Replace(" ", "", StringComparison.Ordinal);
    }

    [Property(MaxTest = 25)]
    public bool AnyText_MakesADocumentQpdfAccepts(string[] paragraphs)
    {
        var pdf = new PdfTextDocument("uji");
        foreach (var p in (paragraphs ?? []).Take(30))
        {
            pdf.Paragraph(p ?? "");
            pdf.Field(p ?? "", p ?? "");
        }

        using var temp = new TempDirectory();
        var file = Path.Combine(temp.Path, "p.pdf");
        File.WriteAllBytes(file, pdf.ToPdf());
        return ExternalTool.RunAsync("qpdf", ["--check", file]).GetAwaiter().GetResult().ExitCode == 0;
    }
}
