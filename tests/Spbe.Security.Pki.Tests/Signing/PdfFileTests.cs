using Spbe.Security.Testing;

namespace Spbe.Security.Pki.Signing.Pdf;

/// <summary>The reader on the real producers' files.</summary>
public sealed class PdfFileTests
{
    private static byte[] Corpus(string name) => File.ReadAllBytes(Path.Combine(RepositoryPaths.Shared, "data", "pdf", name));

    [SharedDataTheory]
    [InlineData("lo-keputusan-walikota.pdf", 4)]
    [InlineData("qpdf-objstm-keputusan-walikota.pdf", 4)]
    [InlineData("qpdf-linearized-keputusan-walikota.pdf", 4)]
    [InlineData("incr-after-linearized-keputusan-walikota.pdf", 4)]
    [InlineData("chromium-surat-undangan.pdf", 2)]
    [InlineData("bench/bench-1mb-keputusan-tpp.pdf", 280)]
    public void Descending_to_one_page_finds_the_same_page_as_walking_the_tree(string name, int pages)
    {
        var bytes = Corpus(name);
        var walked = PdfFile.Open(bytes).Pages;

        Assert.Equal(pages, walked.Count);
        Assert.Equal(pages, PdfFile.Open(bytes).PageCount);
        foreach (var index in new[] { 0, pages / 2, pages - 1 })
        {
            var found = PdfFile.Open(bytes).Page(index);
            Assert.Equal(walked[index].Reference, found.Reference);
            Assert.Equal(walked[index].MediaBox, found.MediaBox);
        }
    }

    [SharedDataFact]
    public void A_page_beyond_the_end_is_refused()
    {
        var file = PdfFile.Open(Corpus("lo-nota-dinas.pdf"));

        Assert.Throws<PdfFormatException>(() => file.Page(1));
    }
}
