using System.Globalization;
using System.IO.Compression;
using System.Text;

namespace Spbe.Security.Documents;

/// <summary>
/// A plain A4 document written as PDF 1.7: headings, paragraphs, label-value fields and tables, wrapped to the page and
/// broken across pages, in the standard Helvetica fonts (WinAnsi), with page numbers. For reports and letters the host
/// writes itself; text from logs is welcome: anything outside WinAnsi's printable ASCII is reduced to its base letter or
/// '?', control characters become spaces, and PDF string syntax is escaped, so no input can change the document's
/// structure.
/// </summary>
public sealed class PdfTextDocument
{
    /// <summary>The page size (A4) and margins, in points.</summary>
    public const float PageWidth = 595.28f, PageHeight = 841.89f, Margin = 56.7f;

    private const float Bottom = Margin + 24;

    // Note: Helvetica's advance widths (the standard 14 font metrics) for ' ' to '~', in thousandths of the size.
    private static readonly short[] Widths =
    [
        278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556, 556, 556, 556, 556, 556, 556, 556,
        278, 278, 584, 584, 584, 556, 1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778, 667, 778, 722, 667,
        611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556, 333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833,
        556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584,
    ];

    private readonly List<StringBuilder> _pages = [];
    private readonly string _title;
    private StringBuilder _page = null!;
    private float _y;

    /// <summary>Starts a document titled <paramref name="title"/> (the document's metadata).</summary>
    public PdfTextDocument(string title)
    {
        _title = title ?? string.Empty;
        NewPage();
    }

    /// <summary>The width text may take.</summary>
    public static float TextWidth => PageWidth - (2 * Margin);

    /// <summary>A heading: bold, 15 points (level 1) or 12 (level 2), kept with at least the next lines.</summary>
    public void Heading(string text, int level = 1)
    {
        var size = level <= 1 ? 15f : 12f;
        Room(size * 3);
        Space(level <= 1 ? 4 : 8);
        Lines(text, size, bold: true, Margin, TextWidth, centre: false);
        Space(4);
    }

    /// <summary>A centred line (letterheads).</summary>
    public void Centred(string text, float size = 11, bool bold = true) => Lines(text, size, bold, Margin, TextWidth, centre: true);

    /// <summary>A paragraph, wrapped.</summary>
    public void Paragraph(string text, float size = 10.5f, bool bold = false)
    {
        Lines(text, size, bold, Margin, TextWidth, centre: false);
        Space(5);
    }

    /// <summary>A label and its value side by side, the value wrapped in its column.</summary>
    public void Field(string label, string value, float labelWidth = 130, float size = 10.5f)
    {
        var lines = Wrap(Clean(value), size, bold: false, TextWidth - labelWidth);
        Room(size * 1.35f);
        Text(Margin, _y, size, bold: true, Clean(label));
        foreach (var line in lines)
        {
            Room(size * 1.35f);
            Text(Margin + labelWidth, _y, size, bold: false, line);
            _y -= size * 1.35f;
        }
    }

    /// <summary>A table with a bold header row, each cell wrapped in its column; columns share the text width in
    /// proportion to <paramref name="weights"/>. Rows break across pages and the header is repeated.</summary>
    public void Table(IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows, IReadOnlyList<float> weights, float size = 9)
    {
        ArgumentNullException.ThrowIfNull(headers);
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(weights);
        var total = weights.Sum();
        var widths = weights.Select(w => TextWidth * w / total).ToArray();
        Row(headers, widths, size, bold: true);
        foreach (var row in rows)
        {
            if (Row(row, widths, size, bold: false))
            {
                Row(headers, widths, size, bold: true);
                Row(row, widths, size, bold: false);
            }
        }

        Space(6);
    }

    /// <summary>Vertical space.</summary>
    public void Space(float points)
    {
        _y -= points;
        if (_y < Bottom)
        {
            NewPage();
        }
    }

    /// <summary>A thin line across the text width.</summary>
    public void Rule()
    {
        Room(8);
        _page.Append(CultureInfo.InvariantCulture, $"0.5 w {Margin:0.##} {_y:0.##} m {PageWidth - Margin:0.##} {_y:0.##} l S\n");
        _y -= 8;
    }

    /// <summary>Starts a new page unless at least <paramref name="points"/> remain on this one.</summary>
    public void Room(float points)
    {
        if (_y - points < Bottom)
        {
            NewPage();
        }
    }

    /// <summary>The document as PDF bytes (page numbers are added here).</summary>
    public byte[] ToPdf()
    {
        var objects = new List<byte[]>
        {
            Ascii("<</Type/Catalog/Pages 2 0 R>>"),
            Array.Empty<byte>(),
            Ascii("<</Type/Font/Subtype/Type1/BaseFont/Helvetica/Encoding/WinAnsiEncoding>>"),
            Ascii("<</Type/Font/Subtype/Type1/BaseFont/Helvetica-Bold/Encoding/WinAnsiEncoding>>"),
            Ascii($"<</Title({Escape(Clean(_title))})/Producer(Spbe.Security)>>"),
        };
        var kids = new List<int>();
        for (var i = 0; i < _pages.Count; i++)
        {
            var content = new StringBuilder(_pages[i].ToString());
            var footer = string.Create(CultureInfo.InvariantCulture, $"Halaman {i + 1} dari {_pages.Count}");
            content.Append(CultureInfo.InvariantCulture, $"BT /F1 8 Tf {PageWidth - Margin - Measure(footer, 8, false):0.##} {Margin - 10:0.##} Td ({footer}) Tj ET\n");
            var compressed = Deflate(Encoding.Latin1.GetBytes(content.ToString()));
            var stream = new List<byte>(Ascii($"<</Length {compressed.Length}/Filter/FlateDecode>>\nstream\n"));
            stream.AddRange(compressed);
            stream.AddRange(Ascii("\nendstream"));
            objects.Add([.. stream]);
            var contentNumber = objects.Count;
            objects.Add(Ascii(string.Create(CultureInfo.InvariantCulture,
                $"<</Type/Page/Parent 2 0 R/MediaBox[0 0 {PageWidth:0.##} {PageHeight:0.##}]/Resources<</Font<</F1 3 0 R/F2 4 0 R>>>>/Contents {contentNumber} 0 R>>")));
            kids.Add(objects.Count);
        }

        objects[1] = Ascii($"<</Type/Pages/Kids[{string.Join(' ', kids.Select(k => k.ToString(CultureInfo.InvariantCulture) + " 0 R"))}]/Count {kids.Count}>>");
        using var output = new MemoryStream();
        output.Write("%PDF-1.7\n%\xE2\xE3\xCF\xD3\n"u8);
        var offsets = new long[objects.Count];
        for (var i = 0; i < objects.Count; i++)
        {
            offsets[i] = output.Position;
            output.Write(Ascii(string.Create(CultureInfo.InvariantCulture, $"{i + 1} 0 obj\n")));
            output.Write(objects[i]);
            output.Write("\nendobj\n"u8);
        }

        var xref = output.Position;
        var table = new StringBuilder(string.Create(CultureInfo.InvariantCulture, $"xref\n0 {objects.Count + 1}\n0000000000 65535 f \n"));
        foreach (var offset in offsets)
        {
            table.Append(CultureInfo.InvariantCulture, $"{offset:D10} 00000 n \n");
        }

        table.Append(CultureInfo.InvariantCulture, $"trailer\n<</Size {objects.Count + 1}/Root 1 0 R/Info 5 0 R>>\nstartxref\n{xref}\n%%EOF\n");
        output.Write(Ascii(table.ToString()));
        return output.ToArray();
    }

    /// <summary>The width of <paramref name="text"/> (already cleaned) at <paramref name="size"/> points.</summary>
    public static float Measure(string text, float size, bool bold)
    {
        ArgumentNullException.ThrowIfNull(text);
        var units = 0;
        foreach (var c in text)
        {
            units += c is >= ' ' and <= '~' ? Widths[c - ' '] : 556;
        }

        // Note: Helvetica-Bold is at most about 10 % wider; wrapping by this bound never overflows the column.
        return units * size / 1000f * (bold ? 1.1f : 1f);
    }

    /// <summary><paramref name="text"/> reduced to what the fonts can show: printable ASCII, letters without their
    /// accents, '?' for the rest, spaces for control characters (line breaks are kept).</summary>
    public static string Clean(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        var builder = new StringBuilder(text.Length);
        foreach (var c in text.Normalize(NormalizationForm.FormD))
        {
            if (c is >= ' ' and <= '~' or '\n')
            {
                builder.Append(c);
            }
            else if (char.IsControl(c) || char.IsWhiteSpace(c))
            {
                builder.Append(' ');
            }
            else if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark)
            {
                builder.Append('?');
            }
        }

        return builder.ToString();
    }

    /// <summary>Splits cleaned text into lines no wider than <paramref name="width"/>: at spaces, and inside words too
    /// long for a line (hashes, URLs).</summary>
    public static IReadOnlyList<string> Wrap(string text, float size, bool bold, float width)
    {
        ArgumentNullException.ThrowIfNull(text);
        var lines = new List<string>();
        foreach (var paragraph in text.Split('\n'))
        {
            var line = new StringBuilder();
            foreach (var word in paragraph.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                var candidate = line.Length == 0 ? word : line + " " + word;
                if (Measure(candidate, size, bold) <= width)
                {
                    line.Clear().Append(candidate);
                    continue;
                }

                if (line.Length > 0)
                {
                    lines.Add(line.ToString());
                    line.Clear();
                }

                var rest = word;
                while (Measure(rest, size, bold) > width)
                {
                    var cut = 1;
                    while (cut < rest.Length && Measure(rest[..(cut + 1)], size, bold) <= width)
                    {
                        cut++;
                    }

                    lines.Add(rest[..cut]);
                    rest = rest[cut..];
                }

                line.Append(rest);
            }

            lines.Add(line.ToString());
        }

        return lines;
    }

    private void Lines(string text, float size, bool bold, float x, float width, bool centre)
    {
        foreach (var line in Wrap(Clean(text), size, bold, width))
        {
            Room(size * 1.35f);
            var left = centre ? x + ((width - Measure(line, size, bold)) / 2) : x;
            Text(left, _y, size, bold, line);
            _y -= size * 1.35f;
        }
    }

    /// <summary>One table row; true when it did not fit and a new page was started instead (nothing drawn).</summary>
    private bool Row(IReadOnlyList<string> cells, float[] widths, float size, bool bold)
    {
        var wrapped = widths.Select((w, i) => Wrap(Clean(i < cells.Count ? cells[i] : string.Empty), size, bold, w - 6)).ToArray();
        var height = (wrapped.Max(c => c.Count) * size * 1.3f) + 4;
        if (_y - height < Bottom)
        {
            var fresh = _y >= PageHeight - Margin - 1;
            NewPage();
            if (!fresh && !bold)
            {
                return true;
            }
        }

        var x = Margin;
        for (var i = 0; i < widths.Length; i++)
        {
            var y = _y;
            foreach (var line in wrapped[i])
            {
                Text(x + 3, y, size, bold, line);
                y -= size * 1.3f;
            }

            x += widths[i];
        }

        _y -= height;
        _page.Append(CultureInfo.InvariantCulture, $"0.3 w {Margin:0.##} {_y + (size * 1.3f) - 2:0.##} m {PageWidth - Margin:0.##} {_y + (size * 1.3f) - 2:0.##} l S\n");
        return false;
    }

    private void Text(float x, float y, float size, bool bold, string text) =>
        _page.Append(CultureInfo.InvariantCulture, $"BT /{(bold ? "F2" : "F1")} {size:0.##} Tf {x:0.##} {y:0.##} Td ({Escape(text)}) Tj ET\n");

    private void NewPage()
    {
        _page = new StringBuilder();
        _pages.Add(_page);
        _y = PageHeight - Margin - 12;
    }

    private static string Escape(string text) => text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("(", "\\(", StringComparison.Ordinal).Replace(")", "\\)", StringComparison.Ordinal);

    private static byte[] Ascii(string text) => Encoding.Latin1.GetBytes(text);

    private static byte[] Deflate(byte[] data)
    {
        using var output = new MemoryStream();
        using (var zlib = new ZLibStream(output, CompressionLevel.Optimal))
        {
            zlib.Write(data);
        }

        return output.ToArray();
    }
}
