using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Spbe.Security.Pki.Signing.Pdf;

/// <summary>
/// An incremental update (ISO 32000-1 §7.5.6): new and replaced objects appended after the file's last byte with a
/// cross-reference section of the same kind as the newest one (a table after a table, a stream after a stream) whose
/// <c>/Prev</c> points to it. Earlier bytes are never touched, so earlier signatures stay valid.
/// </summary>
internal sealed class PdfUpdate(PdfFile file)
{
    private readonly SortedDictionary<int, (int Generation, PdfObject Value)> _objects = [];
    private int _next = file.Size;

    public PdfFile File => file;

    /// <summary>Adds a new object and returns its reference.</summary>
    public PdfReference Add(PdfObject value)
    {
        var reference = new PdfReference(_next++, 0);
        _objects[reference.Number] = (0, value);
        return reference;
    }

    /// <summary>Writes a new version of an existing object.</summary>
    public void Replace(PdfReference reference, PdfObject value) => _objects[reference.Number] = (reference.Generation, value);

    /// <summary>The update's bytes (to append to the file) and the absolute file offsets of its placeholders.</summary>
    public (byte[] Bytes, IReadOnlyDictionary<string, long> Placeholders) Write()
    {
        var start = file.Bytes.Length;
        var output = new ArrayBufferWriter<byte>(64 * 1024);
        var writer = new PdfSerializer(output);
        var last = start > 0 ? file.Bytes.Span[start - 1] : (byte)'\n';
        if (last is not (byte)'\n' and not (byte)'\r')
        {
            writer.Raw("\n"u8);
        }

        var offsets = new SortedDictionary<int, (long Offset, int Generation)>();
        foreach (var (number, (generation, value)) in _objects)
        {
            offsets[number] = (start + output.WrittenCount, generation);
            writer.Raw(Invariant($"{number} {generation} obj\n"));
            writer.Write(value);
            writer.Raw("\nendobj\n"u8);
        }

        var trailer = new PdfDictionary();
        foreach (var key in new[] { "Root", "Info", "ID" })
        {
            if (file.Trailer[key] is { } value)
            {
                trailer[key] = value;
            }
        }

        // Note: the first ID stays (it names the document); the second changes with every revision (§14.4).
        if (file.Trailer["ID"] is PdfArray { Count: 2 } id && id[0] is PdfString permanent)
        {
            trailer["ID"] = new PdfArray([permanent, new PdfString(RandomNumberGenerator.GetBytes(16), true)]);
        }

        trailer["Prev"] = new PdfNumber(file.StartXref);
        long xrefOffset = start + output.WrittenCount;
        if (file.Sections[0].IsStream)
        {
            var self = _next++;
            offsets[self] = (xrefOffset, 0);
            trailer["Type"] = new PdfName("XRef");
            trailer["Size"] = new PdfNumber(_next);
            trailer["W"] = new PdfArray([new PdfNumber(1), new PdfNumber(4), new PdfNumber(2)]);
            trailer["Index"] = new PdfArray(Runs(offsets.Keys).SelectMany(r => new PdfObject[] { new PdfNumber(r.First), new PdfNumber(r.Count) }));
            var rows = new byte[offsets.Count * 7];
            var i = 0;
            foreach (var (_, (offset, generation)) in offsets)
            {
                rows[i] = 1;
                System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(rows.AsSpan(i + 1), checked((uint)offset));
                System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(rows.AsSpan(i + 5), (ushort)generation);
                i += 7;
            }

            writer.Raw(Invariant($"{self} 0 obj\n"));
            writer.Write(new PdfStream(trailer, rows));
            writer.Raw("\nendobj\n"u8);
        }
        else
        {
            trailer["Size"] = new PdfNumber(_next);
            writer.Raw("xref\n"u8);
            foreach (var (first, count) in Runs(offsets.Keys))
            {
                writer.Raw(Invariant($"{first} {count}\n"));
                for (var n = first; n < first + count; n++)
                {
                    writer.Raw(Invariant($"{offsets[n].Offset:D10} {offsets[n].Generation:D5} n\r\n"));
                }
            }

            writer.Raw("trailer\n"u8);
            writer.Write(trailer);
            writer.Raw("\n"u8);
        }

        writer.Raw(Invariant($"startxref\n{xrefOffset}\n%%EOF\n"));
        return (output.WrittenSpan.ToArray(), writer.Placeholders.ToDictionary(p => p.Key, p => (long)start + p.Value, StringComparer.Ordinal));
    }

    private static IEnumerable<(int First, int Count)> Runs(IEnumerable<int> numbers)
    {
        int? first = null;
        var count = 0;
        foreach (var n in numbers)
        {
            if (first is { } f && n == f + count)
            {
                count++;
                continue;
            }

            if (first is not null)
            {
                yield return (first.Value, count);
            }

            first = n;
            count = 1;
        }

        if (first is not null)
        {
            yield return (first.Value, count);
        }
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    /// <summary>ASCII bytes of a string (for placeholders).</summary>
    public static byte[] Ascii(string text) => Encoding.ASCII.GetBytes(text);
}
