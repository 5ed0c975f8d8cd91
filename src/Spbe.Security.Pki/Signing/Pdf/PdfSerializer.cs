using System.Buffers;
using System.Globalization;
using System.Text;

namespace Spbe.Security.Pki.Signing.Pdf;

/// <summary>Writes PDF objects in the syntax <see cref="PdfParser"/> reads, and records where placeholders land.</summary>
internal sealed class PdfSerializer(ArrayBufferWriter<byte> output)
{
    /// <summary>Where each placeholder was written (offset in <see cref="Output"/>).</summary>
    public Dictionary<string, int> Placeholders { get; } = new(StringComparer.Ordinal);

    public ArrayBufferWriter<byte> Output { get; } = output;

    public static byte[] ToBytes(PdfObject value)
    {
        var writer = new PdfSerializer(new ArrayBufferWriter<byte>());
        writer.Write(value);
        return writer.Output.WrittenSpan.ToArray();
    }

    public void Raw(ReadOnlySpan<byte> bytes) => Output.Write(bytes);

    public void Raw(string ascii) => Output.Write(Encoding.Latin1.GetBytes(ascii));

    public void Write(PdfObject value)
    {
        switch (value)
        {
            case PdfNull:
                Raw("null"u8);
                break;
            case PdfBoolean b:
                Raw(b.Value ? "true"u8 : "false"u8);
                break;
            case PdfNumber n:
                Raw(n.Text);
                break;
            case PdfName name:
                WriteName(name.Value);
                break;
            case PdfString s:
                WriteString(s);
                break;
            case PdfReference r:
                Raw(string.Create(CultureInfo.InvariantCulture, $"{r.Number} {r.Generation} R"));
                break;
            case PdfArray array:
                Raw("["u8);
                for (var i = 0; i < array.Count; i++)
                {
                    if (i > 0)
                    {
                        Raw(" "u8);
                    }

                    Write(array[i]);
                }

                Raw("]"u8);
                break;
            case PdfDictionary dictionary:
                WriteDictionary(dictionary);
                break;
            case PdfStream stream:
                var dictionaryWithLength = new PdfDictionary(stream.Dictionary) { ["Length"] = new PdfNumber(stream.Data.Length) };
                WriteDictionary(dictionaryWithLength);
                Raw("\nstream\n"u8);
                Raw(stream.Data.Span);
                Raw("\nendstream"u8);
                break;
            case PdfPlaceholder placeholder:
                Placeholders[placeholder.Name] = Output.WrittenCount;
                Raw(placeholder.Initial);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(value), value.GetType().Name, "not a PDF object");
        }
    }

    private void WriteDictionary(PdfDictionary dictionary)
    {
        Raw("<<"u8);
        foreach (var (key, item) in dictionary.Entries)
        {
            WriteName(key);
            Raw(" "u8);
            Write(item);
        }

        Raw(">>"u8);
    }

    private void WriteName(string name)
    {
        Raw("/"u8);
        foreach (var c in Encoding.Latin1.GetBytes(name))
        {
            if (c is < 0x21 or > 0x7E || c == '#' || PdfParser.IsDelimiter(c))
            {
                Raw(string.Create(CultureInfo.InvariantCulture, $"#{c:X2}"));
            }
            else
            {
                Output.Write([c]);
            }
        }
    }

    private void WriteString(PdfString value)
    {
        if (value.Hex)
        {
            Raw("<"u8);
            Raw(Convert.ToHexString(value.Bytes));
            Raw(">"u8);
            return;
        }

        var escaped = new List<byte>(value.Bytes.Length + 2) { (byte)'(' };
        foreach (var c in value.Bytes)
        {
            switch (c)
            {
                case (byte)'(' or (byte)')' or (byte)'\\':
                    escaped.Add((byte)'\\');
                    escaped.Add(c);
                    break;
                case (byte)'\r':
                    escaped.AddRange("\\r"u8);
                    break;
                case (byte)'\n':
                    escaped.AddRange("\\n"u8);
                    break;
                default:
                    escaped.Add(c);
                    break;
            }
        }

        escaped.Add((byte)')');
        Raw(escaped.ToArray());
    }
}
