using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using FsCheck.Xunit;
using Spbe.Security.Testing;

namespace Spbe.Security.Pki.Signing.Pdf;

/// <summary>The PDF reader on hostile input: whatever the bytes, it reads them or refuses with a
/// <see cref="PdfFormatException"/>; it never throws anything else, never loops and never recurses without bound.</summary>
public sealed class PdfFileFuzzTests
{
    /// <summary>Opens and walks everything: pages and every object in the cross-reference sections.</summary>
    private static void ReadAll(byte[] bytes)
    {
        try
        {
            var file = PdfFile.Open(bytes);
            _ = file.Pages.Count;
            foreach (var number in file.Sections.SelectMany(s => s.Objects).Distinct())
            {
                if (file.Get(number) is PdfStream stream && stream.Dictionary.NameOf("Type") is "ObjStm" or "XRef")
                {
                    file.Decode(stream);
                }
            }
        }
        catch (PdfFormatException)
        {
            // A refusal is a fine outcome.
        }
    }

    [Fact]
    public void The_minimal_file_reads()
    {
        var file = PdfFile.Open(SigningKit.MinimalPdf());

        Assert.Single(file.Pages);
        Assert.Equal([0d, 0, 595, 842], file.Pages[0].MediaBox);
    }

    [Property(MaxTest = 2_000)]
    public void Arbitrary_bytes_are_read_or_refused(byte[] input) => ReadAll(input ?? []);

    [Property(MaxTest = 3_000)]
    public void A_mutated_file_is_read_or_refused(int position, byte value, byte mode)
    {
        var bytes = SigningKit.MinimalPdf();
        var at = Math.Abs(position % bytes.Length);
        var mutated = (mode % 3) switch
        {
            0 => bytes.Select((b, i) => i == at ? value : b).ToArray(),
            1 => bytes[..at],
            _ => [.. bytes[..at], value, .. bytes[at..]],
        };

        ReadAll(mutated);
    }

    [Property(MaxTest = 1_000)]
    public void Arbitrary_text_after_a_header_is_read_or_refused(string body) =>
        ReadAll(Encoding.Latin1.GetBytes("%PDF-1.7\n" + body + "\nstartxref\n9\n%%EOF"));

    [Fact]
    public void A_subsection_claiming_millions_of_objects_is_refused_without_a_large_allocation()
    {
        var text = "%PDF-1.7\nxref\n0 8000000\n0000000000 65535 f \ntrailer\n<</Size 8000000/Root 1 0 R>>\nstartxref\n9\n%%EOF\n";
        var bytes = Encoding.Latin1.GetBytes(text);

        var before = GC.GetAllocatedBytesForCurrentThread();
        Assert.Throws<PdfFormatException>(() => PdfFile.Open(bytes));

        Assert.InRange(GC.GetAllocatedBytesForCurrentThread() - before, 0, 1024 * 1024);
    }

    [Fact]
    public void Deep_nesting_is_refused_not_a_stack_overflow()
    {
        var deep = "%PDF-1.7\n1 0 obj\n" + new string('[', 100_000) + "\nendobj\nxref\n0 2\n0000000000 65535 f \n0000000009 00000 n \ntrailer\n<</Size 2/Root 1 0 R>>\nstartxref\n{0}\n%%EOF\n";
        var offset = deep.IndexOf("xref", StringComparison.Ordinal);
        var bytes = Encoding.Latin1.GetBytes(string.Format(CultureInfo.InvariantCulture, deep, offset));

        var refused = Assert.Throws<PdfFormatException>(() => PdfFile.Open(bytes));
        Assert.Contains("nested", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_prev_chain_that_loops_is_refused()
    {
        var bytes = SigningKit.MinimalPdf();
        var text = Encoding.Latin1.GetString(bytes);
        var xref = text.IndexOf("xref\n", StringComparison.Ordinal);
        var looped = text.Replace("/Root 1 0 R>>", string.Create(CultureInfo.InvariantCulture, $"/Root 1 0 R/Prev {xref}>>"), StringComparison.Ordinal);

        var refused = Assert.Throws<PdfFormatException>(() => PdfFile.Open(Encoding.Latin1.GetBytes(looped)));
        Assert.Contains("loop", refused.Message, StringComparison.Ordinal);
    }

    [SharedDataTheory]
    [InlineData("lo-nota-dinas.pdf")]
    [InlineData("qpdf-objstm-keputusan-walikota.pdf")]
    [InlineData("incr-after-linearized-keputusan-walikota.pdf")]
    public void Mutations_of_real_files_are_read_or_refused(string name)
    {
        var original = File.ReadAllBytes(Path.Combine(RepositoryPaths.Shared, "data", "pdf", name));
        // Note: mutations concentrate on the structure (the last 4 KiB: xref, trailer, object streams' neighbours)
        // and on random spots elsewhere.
        for (var i = 0; i < 400; i++)
        {
            var bytes = (byte[])original.Clone();
            var at = i % 2 == 0 ? bytes.Length - 1 - RandomNumberGenerator.GetInt32(Math.Min(4096, bytes.Length)) : RandomNumberGenerator.GetInt32(bytes.Length);
            switch (i % 4)
            {
                case 0: bytes[at] = (byte)RandomNumberGenerator.GetInt32(256); break;
                case 1: bytes[at] = (byte)"0123456789 /<>[]()R"[RandomNumberGenerator.GetInt32(19)]; break;
                case 2: bytes = bytes[..at]; break;
                default: bytes.AsSpan(at, Math.Min(16, bytes.Length - at)).Fill((byte)'9'); break;
            }

            var mutation = $"mutation {i % 4} at {at} of {name}";
            var thrown = Record.Exception(() => ReadAll(bytes));
            Assert.True(thrown is null, $"{mutation}: {thrown}");
        }
    }
}
