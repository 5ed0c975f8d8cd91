using Spbe.Security.Testing;

namespace Spbe.Security.Pki.Signing;

public sealed class TextAnchorTests
{
    private static byte[] Corpus(string name) => File.ReadAllBytes(Path.Combine(RepositoryPaths.Shared, "data", "pdf", name));

    [SharedDataTheory]
    [InlineData("lo-surat-undangan.pdf", 1)]
    [InlineData("chromium-nota-dinas.pdf", 1)]
    [InlineData("lo-keputusan-walikota.pdf", 2)]
    [InlineData("qpdf-objstm-keputusan-walikota.pdf", 2)]
    public void The_anchor_is_found_on_its_page_and_the_stamp_fits_the_page(string name, int page)
    {
        var placement = TextAnchor.Find(Corpus(name), "#ttd#", 220, 50);

        Assert.NotNull(placement);
        Assert.Equal(page, placement.Page);
        Assert.InRange(placement.X, 0, 595 - 220);
        Assert.InRange(placement.Y, 0, 1000);
    }

    [SharedDataTheory]
    [InlineData("gs-ps2pdf-surat-tugas-no-tounicode.pdf")]
    [InlineData("scan-surat-undangan.pdf")]
    public void A_file_without_a_text_layer_for_the_anchor_has_none(string name) =>
        Assert.Null(TextAnchor.Find(Corpus(name), "#ttd#", 220, 50));
}
