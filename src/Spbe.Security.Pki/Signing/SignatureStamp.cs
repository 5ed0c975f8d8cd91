using System.Globalization;
using System.Text;
using Spbe.Security.Core.Qr;
using Spbe.Security.Pki.Signing.Pdf;

namespace Spbe.Security.Pki.Signing;

/// <summary>Where a visible signature goes: a page (1-based, or <see cref="LastPage"/>) and a rectangle in PDF points from
/// the page's lower left.</summary>
public sealed record StampPlacement(int Page, double X, double Y, double Width, double Height)
{
    /// <summary>The page number that stands for the document's last page, whatever its count.</summary>
    public const int LastPage = -1;
}

/// <summary>What the visible stamp shows: text lines (name, jabatan, OPD, time) and the address its QR code links to.</summary>
public sealed record StampContent(IReadOnlyList<string> Lines, Uri VerificationUrl);

/// <summary>
/// Draws the visible signature stamp as a form XObject: a thin frame, the QR code on the left drawn as vector squares
/// (one rectangle per dark module: sharp at any zoom, no image), and the text lines on the right in Helvetica.
/// </summary>
internal static class SignatureStamp
{
    private const int QuietZone = 4;

    /// <summary>The appearance stream for a stamp of <paramref name="width"/> × <paramref name="height"/> points.</summary>
    public static PdfStream Appearance(double width, double height, StampContent content)
    {
        // Note: a version-5 code draws some 250 runs of about 12 characters each; room for them and the text at once.
        var ops = new StringBuilder(8192);
        // Note: an opaque white ground, so the stamp stays legible over the anchor text or a line it overlaps.
        ops.Append(F($"q 1 1 1 rg 0 0 {N(width)} {N(height)} re f 0.6 w 0.2 0.2 0.2 RG 0.5 0.5 {N(width - 1)} {N(height - 1)} re S Q\n"));
        var qrSize = Math.Min(height - 6, width * 0.4);
        var code = QrCode.Encode(Encoding.UTF8.GetBytes(content.VerificationUrl.AbsoluteUri), QrErrorCorrection.Medium);
        // Note: the quiet zone (four light modules a side) is part of the square, so the code sits clear of the frame.
        var side = code.Size + (2 * QuietZone);
        var module = qrSize / side;
        // Note: one unit per module (scaled by cm), and each horizontal run of dark modules as one rectangle:
        // integer operands, a third of the operators.
        ops.Append(F($"q 0 0 0 rg {N(module)} 0 0 {N(module)} 3 3 cm\n"));
        for (var row = 0; row < code.Size; row++)
        {
            var line = side - QuietZone - row - 1;
            for (var column = 0; column < code.Size; column++)
            {
                if (!code[column, row])
                {
                    continue;
                }

                var start = column;
                while (column + 1 < code.Size && code[column + 1, row])
                {
                    column++;
                }

                ops.Append(CultureInfo.InvariantCulture, $"{start + QuietZone} {line} {column - start + 1} 1 re\n");
            }
        }

        ops.Append("f Q\n");

        var textLeft = qrSize + 8;
        var lines = content.Lines.Where(l => !string.IsNullOrWhiteSpace(l)).ToList();
        var fontSize = Math.Clamp(Math.Min((height - 8) / Math.Max(1, lines.Count) / 1.25, (width - textLeft - 4) / Math.Max(1, lines.Max(l => (int?)l.Length) ?? 1) / 0.5), 4, 10);
        ops.Append("BT 0 0 0 rg\n");
        var y = height - 4 - fontSize;
        for (var i = 0; i < lines.Count; i++)
        {
            ops.Append(F($"/F1 {N(i == 0 ? fontSize * 1.05 : fontSize)} Tf 1 0 0 1 {N(textLeft)} {N(y)} Tm "));
            ops.Append(Encoding.Latin1.GetString(PdfSerializer.ToBytes(new PdfString(WinAnsi(lines[i]), false)))).Append(" Tj\n");
            y -= fontSize * 1.25;
        }

        ops.Append("ET\n");
        var font = new PdfDictionary
        {
            ["Type"] = new PdfName("Font"),
            ["Subtype"] = new PdfName("Type1"),
            ["BaseFont"] = new PdfName("Helvetica"),
            ["Encoding"] = new PdfName("WinAnsiEncoding"),
        };
        var dictionary = new PdfDictionary
        {
            ["Type"] = new PdfName("XObject"),
            ["Subtype"] = new PdfName("Form"),
            ["BBox"] = new PdfArray([new PdfNumber(0L), new PdfNumber(0L), new PdfNumber(width), new PdfNumber(height)]),
            ["Resources"] = new PdfDictionary { ["Font"] = new PdfDictionary { ["F1"] = font } },
        };
        return new PdfStream(dictionary, Encoding.Latin1.GetBytes(ops.ToString()));
    }

    /// <summary>An empty appearance (invisible signatures, paraf).</summary>
    public static PdfStream Empty() => new(new PdfDictionary
    {
        ["Type"] = new PdfName("XObject"),
        ["Subtype"] = new PdfName("Form"),
        ["BBox"] = new PdfArray([new PdfNumber(0L), new PdfNumber(0L), new PdfNumber(0L), new PdfNumber(0L)]),
    }, Array.Empty<byte>());

    /// <summary>Text in WinAnsi (Latin-1 range); other characters become '?'.</summary>
    private static byte[] WinAnsi(string text) => text.Select(c => c is >= ' ' and <= 'ÿ' and not (>= (char)0x7F and < (char)0xA0) ? (byte)c : (byte)'?').ToArray();

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    /// <summary>A real number as PDF writes it (no exponent).</summary>
    private static string N(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);
}
