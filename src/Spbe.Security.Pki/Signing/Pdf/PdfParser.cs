using System.Globalization;
using System.Text;

namespace Spbe.Security.Pki.Signing.Pdf;

/// <summary>What is wrong with a PDF's syntax, and where. Thrown inside the reader only; callers get a result.</summary>
internal sealed class PdfFormatException(string message, long offset) : Exception($"{message} (at byte {offset})")
{
    public long Offset { get; } = offset;
}

/// <summary>
/// Reads PDF objects (ISO 32000-1 §7.2–7.3) from bytes: a tokenizer and a recursive-descent parser with a nesting
/// limit, so hostile input can make it fail but never recurse without bound. Streams are returned with their raw data;
/// their /Length may be indirect, resolved through the callback, and a wrong length falls back to finding
/// <c>endstream</c> (as qpdf and poppler do).
/// </summary>
internal sealed class PdfParser
{
    private const int MaxDepth = 64;
    private const int MaxStringLength = 16 * 1024 * 1024;

    private readonly ReadOnlyMemory<byte> _data;
    private readonly Func<PdfReference, long?>? _resolveLength;

    public PdfParser(ReadOnlyMemory<byte> data, long position = 0, Func<PdfReference, long?>? resolveLength = null)
    {
        _data = data;
        Position = position;
        _resolveLength = resolveLength;
    }

    public long Position { get; set; }

    private ReadOnlySpan<byte> Span => _data.Span;

    public static bool IsWhitespace(byte b) => b is 0 or 9 or 10 or 12 or 13 or 32;

    public static bool IsDelimiter(byte b) => b is (byte)'(' or (byte)')' or (byte)'<' or (byte)'>' or (byte)'[' or (byte)']' or (byte)'{' or (byte)'}' or (byte)'/' or (byte)'%';

    private static bool IsRegular(byte b) => !IsWhitespace(b) && !IsDelimiter(b);

    /// <summary>Skips whitespace and comments.</summary>
    public void SkipWhitespace()
    {
        var span = Span;
        while (Position < span.Length)
        {
            var b = span[(int)Position];
            if (IsWhitespace(b))
            {
                Position++;
            }
            else if (b == '%')
            {
                while (Position < span.Length && span[(int)Position] is not (byte)'\n' and not (byte)'\r')
                {
                    Position++;
                }
            }
            else
            {
                break;
            }
        }
    }

    /// <summary>Reads a keyword or other run of regular characters at the position (after whitespace), without consuming it when it is not <paramref name="expected"/>.</summary>
    public bool TryKeyword(string expected)
    {
        SkipWhitespace();
        var span = Span;
        var start = (int)Position;
        var end = start;
        while (end < span.Length && IsRegular(span[end]))
        {
            end++;
        }

        // Note: compared byte by byte: keywords are ASCII, and this runs for every object read.
        var word = span[start..end];
        if (word.Length != expected.Length)
        {
            return false;
        }

        for (var i = 0; i < word.Length; i++)
        {
            if (word[i] != expected[i])
            {
                return false;
            }
        }

        Position = end;
        return true;
    }

    public void ExpectKeyword(string expected)
    {
        if (!TryKeyword(expected))
        {
            throw new PdfFormatException($"expected '{expected}'", Position);
        }
    }

    private string ReadRegular()
    {
        var span = Span;
        var start = (int)Position;
        while (Position < span.Length && IsRegular(span[(int)Position]))
        {
            Position++;
        }

        return Encoding.Latin1.GetString(span[start..(int)Position]);
    }

    /// <summary>Reads an unsigned integer token, or null (position unchanged) when the next token is not one.</summary>
    public long? TryReadUnsigned()
    {
        SkipWhitespace();
        var span = Span;
        var start = Position;
        long value = 0;
        var digits = 0;
        while (Position < span.Length && span[(int)Position] is >= (byte)'0' and <= (byte)'9')
        {
            if (digits++ >= 18)
            {
                Position = start;
                return null;
            }

            value = (value * 10) + (span[(int)Position] - '0');
            Position++;
        }

        if (digits == 0 || (Position < span.Length && IsRegular(span[(int)Position])))
        {
            Position = start;
            return null;
        }

        return value;
    }

    /// <summary>Reads the header of an indirect object (<c>N G obj</c>) and returns its number and generation.</summary>
    public (int Number, int Generation) ReadObjectHeader()
    {
        var at = Position;
        var number = TryReadUnsigned();
        var generation = TryReadUnsigned();
        if (number is null or > int.MaxValue || generation is null or > 65535 || !TryKeyword("obj"))
        {
            throw new PdfFormatException("expected 'N G obj'", at);
        }

        return ((int)number, (int)generation);
    }

    /// <summary>Reads an indirect object's body after its header: the object, and the stream data when a dictionary is followed by <c>stream</c>.</summary>
    public PdfObject ReadIndirectBody()
    {
        var value = ReadObject();
        if (value is PdfDictionary dictionary && TryKeyword("stream"))
        {
            return ReadStreamData(dictionary);
        }

        return value;
    }

    private PdfStream ReadStreamData(PdfDictionary dictionary)
    {
        var span = Span;
        // Note: "stream" is followed by CRLF or LF (a lone CR is tolerated, as readers do).
        if (Position < span.Length && span[(int)Position] == '\r')
        {
            Position++;
        }

        if (Position < span.Length && span[(int)Position] == '\n')
        {
            Position++;
        }

        var start = Position;
        long? length = dictionary["Length"] switch
        {
            PdfNumber n => n.AsLong,
            PdfReference r => _resolveLength?.Invoke(r),
            _ => null,
        };
        if (length is { } declared && declared >= 0 && start + declared <= span.Length && EndstreamFollows(start + declared))
        {
            Position = start + declared;
            SkipWhitespace();
            Position += "endstream".Length;
            return new PdfStream(dictionary, _data.Slice((int)start, (int)declared));
        }

        var end = span[(int)start..].IndexOf("endstream"u8);
        if (end < 0)
        {
            throw new PdfFormatException("the stream has no 'endstream'", start);
        }

        var dataEnd = (int)start + end;
        // Note: the EOL before endstream is not part of the data.
        if (dataEnd > start && span[dataEnd - 1] == '\n')
        {
            dataEnd--;
        }

        if (dataEnd > start && span[dataEnd - 1] == '\r')
        {
            dataEnd--;
        }

        Position = start + end + "endstream".Length;
        return new PdfStream(dictionary, _data[(int)start..dataEnd]);
    }

    private bool EndstreamFollows(long at)
    {
        var span = Span;
        var i = (int)at;
        while (i < span.Length && IsWhitespace(span[i]))
        {
            i++;
        }

        return span[i..].StartsWith("endstream"u8);
    }

    /// <summary>Reads one object (references resolved by the caller).</summary>
    public PdfObject ReadObject() => ReadObject(0);

    private PdfObject ReadObject(int depth)
    {
        if (depth > MaxDepth)
        {
            throw new PdfFormatException("objects nested too deeply", Position);
        }

        SkipWhitespace();
        var span = Span;
        if (Position >= span.Length)
        {
            throw new PdfFormatException("unexpected end of file", Position);
        }

        var b = span[(int)Position];
        switch (b)
        {
            case (byte)'/':
                Position++;
                return new PdfName(ReadNameBody());
            case (byte)'(':
                Position++;
                return ReadLiteralString();
            case (byte)'<' when Position + 1 < span.Length && span[(int)Position + 1] == '<':
                Position += 2;
                return ReadDictionary(depth);
            case (byte)'<':
                Position++;
                return ReadHexString();
            case (byte)'[':
                Position++;
                return ReadArray(depth);
            case (byte)'+' or (byte)'-' or (byte)'.' or (>= (byte)'0' and <= (byte)'9'):
                return ReadNumberOrReference();
            default:
                var at = Position;
                var word = ReadRegular();
                return word switch
                {
                    "true" => PdfBoolean.True,
                    "false" => PdfBoolean.False,
                    "null" => PdfNull.Instance,
                    _ => throw new PdfFormatException($"unexpected '{(word.Length == 0 ? ((char)b).ToString() : word[..Math.Min(word.Length, 20)])}'", at),
                };
        }
    }

    private PdfObject ReadNumberOrReference()
    {
        var start = Position;
        var number = ReadNumber();
        if (number.IsInteger && number.Value >= 0)
        {
            // Note: "N G R" is a reference; look ahead without consuming when it is not.
            var after = Position;
            var generation = TryReadUnsigned();
            if (generation is not null && number.Value <= int.MaxValue && generation <= 65535 && TryKeyword("R"))
            {
                return new PdfReference((int)number.Value, (int)generation);
            }

            Position = after;
        }

        return Position > start ? number : throw new PdfFormatException("bad number", start);
    }

    private PdfNumber ReadNumber()
    {
        var span = Span;
        var start = (int)Position;
        while (Position < span.Length && span[(int)Position] is (byte)'+' or (byte)'-' or (byte)'.' or (>= (byte)'0' and <= (byte)'9'))
        {
            Position++;
        }

        var token = span[start..(int)Position];
        if (token.Length > 40)
        {
            throw new PdfFormatException("number too long", start);
        }

        // Note: the common case, a plain integer, without building a string.
        if (token.Length is > 0 and <= 18 && (token[0] is >= (byte)'1' and <= (byte)'9' || token is [(byte)'0']) && AllDigits(token[1..]))
        {
            long integer = 0;
            foreach (var digit in token)
            {
                integer = (integer * 10) + (digit - '0');
            }

            return new PdfNumber(integer);
        }

        var text = Encoding.ASCII.GetString(token);
        // Note: real files contain "--5" or "5-"; read the longest prefix that parses, as lenient readers do.
        var isInteger = !text.Contains('.', StringComparison.Ordinal);
        var clean = text.Length > 1 ? text[0] + text[1..].Replace("-", string.Empty, StringComparison.Ordinal).Replace("+", string.Empty, StringComparison.Ordinal) : text;
        if (clean.StartsWith("--", StringComparison.Ordinal))
        {
            clean = clean[1..];
        }

        if (!double.TryParse(clean, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
        {
            value = 0;
        }

        return new PdfNumber(text, value, isInteger && Math.Abs(value) < 1e18);
    }

    private static bool AllDigits(ReadOnlySpan<byte> digits)
    {
        foreach (var d in digits)
        {
            if (d is < (byte)'0' or > (byte)'9')
            {
                return false;
            }
        }

        return true;
    }

    private string ReadNameBody()
    {
        var span = Span;
        var start = (int)Position;
        var end = start;
        while (end < span.Length && IsRegular(span[end]))
        {
            end++;
        }

        if (end - start > 4096)
        {
            throw new PdfFormatException("name too long", start);
        }

        Position = end;
        var raw = span[start..end];
        if (raw.IndexOf((byte)'#') < 0)
        {
            return Encoding.Latin1.GetString(raw);
        }

        var bytes = new List<byte>(raw.Length);
        for (var i = 0; i < raw.Length; i++)
        {
            if (raw[i] == '#' && i + 2 < raw.Length && IsHex(raw[i + 1]) && IsHex(raw[i + 2]))
            {
                bytes.Add((byte)((HexValue(raw[i + 1]) << 4) | HexValue(raw[i + 2])));
                i += 2;
            }
            else
            {
                bytes.Add(raw[i]);
            }
        }

        return Encoding.Latin1.GetString(bytes.ToArray());
    }

    private PdfString ReadLiteralString()
    {
        var span = Span;
        var bytes = new List<byte>();
        var depth = 1;
        while (true)
        {
            if (Position >= span.Length)
            {
                throw new PdfFormatException("unterminated string", Position);
            }

            if (bytes.Count > MaxStringLength)
            {
                throw new PdfFormatException("string too long", Position);
            }

            var c = span[(int)Position++];
            switch (c)
            {
                case (byte)'(':
                    depth++;
                    bytes.Add(c);
                    break;
                case (byte)')':
                    if (--depth == 0)
                    {
                        return new PdfString(bytes.ToArray(), false);
                    }

                    bytes.Add(c);
                    break;
                case (byte)'\\':
                    if (Position >= span.Length)
                    {
                        continue;
                    }

                    var e = span[(int)Position++];
                    switch (e)
                    {
                        case (byte)'n': bytes.Add((byte)'\n'); break;
                        case (byte)'r': bytes.Add((byte)'\r'); break;
                        case (byte)'t': bytes.Add((byte)'\t'); break;
                        case (byte)'b': bytes.Add(8); break;
                        case (byte)'f': bytes.Add(12); break;
                        case (byte)'\r':
                            if (Position < span.Length && span[(int)Position] == '\n')
                            {
                                Position++;
                            }

                            break;
                        case (byte)'\n': break;
                        case >= (byte)'0' and <= (byte)'7':
                            var value = e - '0';
                            for (var i = 0; i < 2 && Position < span.Length && span[(int)Position] is >= (byte)'0' and <= (byte)'7'; i++)
                            {
                                value = (value * 8) + (span[(int)Position++] - '0');
                            }

                            bytes.Add((byte)value);
                            break;
                        default: bytes.Add(e); break;
                    }

                    break;
                default:
                    bytes.Add(c);
                    break;
            }
        }
    }

    private PdfString ReadHexString()
    {
        var span = Span;
        var end = span[(int)Position..].IndexOf((byte)'>');
        if (end < 0)
        {
            throw new PdfFormatException("unterminated hex string", Position);
        }

        var body = span.Slice((int)Position, end);
        var bytes = new byte[(body.Length / 2) + 1];
        int count = 0, nibbles = 0, current = 0;
        foreach (var c in body)
        {
            if (IsWhitespace(c))
            {
                continue;
            }

            if (!IsHex(c))
            {
                throw new PdfFormatException("bad character in hex string", Position);
            }

            current = (current << 4) | HexValue(c);
            if (++nibbles == 2)
            {
                bytes[count++] = (byte)current;
                nibbles = current = 0;
            }
        }

        if (nibbles == 1)
        {
            bytes[count++] = (byte)(current << 4);
        }

        Position += end + 1;
        return new PdfString(bytes.AsSpan(0, count).ToArray(), true);
    }

    private PdfArray ReadArray(int depth)
    {
        var array = new PdfArray();
        while (true)
        {
            SkipWhitespace();
            if (Position >= Span.Length)
            {
                throw new PdfFormatException("unterminated array", Position);
            }

            if (Span[(int)Position] == ']')
            {
                Position++;
                return array;
            }

            array.Items.Add(ReadObject(depth + 1));
        }
    }

    private PdfDictionary ReadDictionary(int depth)
    {
        var dictionary = new PdfDictionary();
        while (true)
        {
            SkipWhitespace();
            var span = Span;
            if (Position + 1 >= span.Length)
            {
                throw new PdfFormatException("unterminated dictionary", Position);
            }

            if (span[(int)Position] == '>' && span[(int)Position + 1] == '>')
            {
                Position += 2;
                return dictionary;
            }

            if (span[(int)Position] != '/')
            {
                throw new PdfFormatException("dictionary key is not a name", Position);
            }

            Position++;
            var key = ReadNameBody();
            dictionary.Read(key, ReadObject(depth + 1));
        }
    }

    private static bool IsHex(byte c) => c is (>= (byte)'0' and <= (byte)'9') or (>= (byte)'a' and <= (byte)'f') or (>= (byte)'A' and <= (byte)'F');

    private static int HexValue(byte c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
}
