using Spbe.Security.Pki.Signing.Pdf;
using UglyToad.PdfPig;

namespace Spbe.Security.Pki.Signing;

/// <summary>
/// Finds a text anchor (e.g. <c>#ttd#</c>, which the naskah dinas templates put where the signature goes) and turns it
/// into a stamp placement centred on it. Text positions come from PdfPig; a file whose text layer has no such word
/// (a scan, fonts without ToUnicode) has no anchor, and the caller must place the stamp by page and coordinates.
/// </summary>
internal static class TextAnchor
{
    /// <summary>The placement of a <paramref name="width"/> × <paramref name="height"/> stamp on the first occurrence of
    /// <paramref name="anchor"/>, or null when the text is not found.</summary>
    /// <exception cref="PdfFormatException">The file's text cannot be read.</exception>
    public static StampPlacement? Find(ReadOnlyMemory<byte> pdf, string anchor, double width, double height)
    {
        try
        {
            using var document = PdfDocument.Open(pdf.ToArray(), new ParsingOptions { UseLenientParsing = true, SkipMissingFonts = true });
            foreach (var page in document.GetPages())
            {
                foreach (var word in page.GetWords())
                {
                    var at = word.Text.IndexOf(anchor, StringComparison.Ordinal);
                    if (at < 0)
                    {
                        continue;
                    }

                    var box = word.BoundingBox;
                    var centreY = box.Bottom + (box.Height / 2);
                    var x = Math.Clamp(box.Left, 0, Math.Max(0, page.Width - width));
                    var y = Math.Clamp(centreY - (height / 2), 0, Math.Max(0, page.Height - height));
                    return new StampPlacement(page.Number, x, y, width, height);
                }
            }

            return null;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException and not PdfFormatException)
        {
            // Note: PdfPig throws its own and framework exceptions on damaged text layers; none may escape as a crash.
            throw new PdfFormatException($"the text of the document cannot be read to find '{anchor}' ({ex.GetType().Name})", 0);
        }
    }
}
