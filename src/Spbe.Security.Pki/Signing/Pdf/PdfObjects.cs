using System.Globalization;
using System.Text;

namespace Spbe.Security.Pki.Signing.Pdf;

/// <summary>A PDF object (ISO 32000-1 §7.3) as read from a file or made to be written in an incremental update. The model
/// keeps what is needed to write an object back byte-faithfully: numbers keep their text, strings their bytes and form.</summary>
internal abstract class PdfObject
{
    public override string ToString() => Encoding.Latin1.GetString(PdfSerializer.ToBytes(this));
}

internal sealed class PdfNull : PdfObject
{
    public static readonly PdfNull Instance = new();

    private PdfNull()
    {
    }
}

internal sealed class PdfBoolean : PdfObject
{
    public static readonly PdfBoolean True = new(true);
    public static readonly PdfBoolean False = new(false);

    private PdfBoolean(bool value) => Value = value;

    public bool Value { get; }
}

internal sealed class PdfNumber : PdfObject
{
    private string? _text;

    public PdfNumber(long value)
    {
        Value = value;
        IsInteger = true;
    }

    public PdfNumber(double value)
    {
        _text = Math.Round(value, 4).ToString("0.####", CultureInfo.InvariantCulture);
        Value = value;
    }

    internal PdfNumber(string text, double value, bool isInteger)
    {
        _text = text;
        Value = value;
        IsInteger = isInteger;
    }

    /// <summary>The number as written (an integer's text is made when first asked for: most are never written back).</summary>
    public string Text => _text ??= ((long)Value).ToString(CultureInfo.InvariantCulture);

    public double Value { get; }

    public bool IsInteger { get; }

    /// <summary>The value as an integer, or null when it is not a whole number within range.</summary>
    public long? AsLong => IsInteger && Value is >= long.MinValue and <= long.MaxValue ? (long)Value : null;
}

internal sealed class PdfName : PdfObject, IEquatable<PdfName>
{
    public PdfName(string value) => Value = value;

    /// <summary>The name without its slash, #xx escapes decoded.</summary>
    public string Value { get; }

    public bool Equals(PdfName? other) => other is not null && other.Value == Value;

    public override bool Equals(object? obj) => Equals(obj as PdfName);

    public override int GetHashCode() => Value.GetHashCode(StringComparison.Ordinal);
}

internal sealed class PdfString : PdfObject
{
    public PdfString(byte[] bytes, bool hex)
    {
        Bytes = bytes;
        Hex = hex;
    }

    /// <summary>The string's bytes (escapes decoded).</summary>
    public byte[] Bytes { get; }

    /// <summary>Whether it was written as a hexadecimal string.</summary>
    public bool Hex { get; }

    /// <summary>A text string: UTF-16BE with a byte order mark when it is not plain ASCII, else the ASCII bytes.</summary>
    public static PdfString Text(string value) => value.All(c => c is >= ' ' and < (char)0x7F)
        ? new PdfString(Encoding.ASCII.GetBytes(value), false)
        : new PdfString([0xFE, 0xFF, .. Encoding.BigEndianUnicode.GetBytes(value)], false);

    /// <summary>The string decoded as a text string (UTF-16BE with BOM, UTF-8 with BOM, else PDFDocEncoding ≈ Latin-1).</summary>
    public string Decode()
    {
        if (Bytes is [0xFE, 0xFF, ..])
        {
            return Encoding.BigEndianUnicode.GetString(Bytes, 2, Bytes.Length - 2);
        }

        return Bytes is [0xEF, 0xBB, 0xBF, ..] ? Encoding.UTF8.GetString(Bytes, 3, Bytes.Length - 3) : Encoding.Latin1.GetString(Bytes);
    }
}

internal sealed class PdfArray : PdfObject
{
    public PdfArray()
    {
    }

    public PdfArray(IEnumerable<PdfObject> items) => Items.AddRange(items);

    public List<PdfObject> Items { get; } = [];

    public int Count => Items.Count;

    public PdfObject this[int index] => Items[index];
}

internal sealed class PdfDictionary : PdfObject
{
    // Note: room for the usual handful of keys from the start (page and annotation dictionaries have 6–12).
    private readonly List<KeyValuePair<string, PdfObject>> _entries = new(8);

    public PdfDictionary()
    {
    }

    /// <summary>A shallow copy: same values, own entry list (to change before writing as a new revision).</summary>
    public PdfDictionary(PdfDictionary source) => _entries = new(source._entries);

    public IReadOnlyList<KeyValuePair<string, PdfObject>> Entries => _entries;

    public int Count => _entries.Count;

    public PdfObject? this[string key]
    {
        get
        {
            foreach (var (k, v) in _entries)
            {
                if (k == key)
                {
                    return v;
                }
            }

            return null;
        }

        set
        {
            var index = _entries.FindIndex(e => e.Key == key);
            if (value is null)
            {
                if (index >= 0)
                {
                    _entries.RemoveAt(index);
                }
            }
            else if (index >= 0)
            {
                _entries[index] = new(key, value);
            }
            else
            {
                _entries.Add(new(key, value));
            }
        }
    }

    /// <summary>Adds an entry as read (a later duplicate key replaces the earlier value, as readers do).</summary>
    internal void Read(string key, PdfObject value) => this[key] = value;

    public string? NameOf(string key) => (this[key] as PdfName)?.Value;
}

internal sealed class PdfReference : PdfObject, IEquatable<PdfReference>
{
    public PdfReference(int number, int generation)
    {
        Number = number;
        Generation = generation;
    }

    public int Number { get; }

    public int Generation { get; }

    public bool Equals(PdfReference? other) => other is not null && other.Number == Number && other.Generation == Generation;

    public override bool Equals(object? obj) => Equals(obj as PdfReference);

    public override int GetHashCode() => HashCode.Combine(Number, Generation);
}

/// <summary>A stream: its dictionary and its data exactly as stored (still encoded).</summary>
internal sealed class PdfStream : PdfObject
{
    public PdfStream(PdfDictionary dictionary, ReadOnlyMemory<byte> data)
    {
        Dictionary = dictionary;
        Data = data;
    }

    public PdfDictionary Dictionary { get; }

    public ReadOnlyMemory<byte> Data { get; }
}

/// <summary>Bytes written verbatim and remembered by position: the /ByteRange and /Contents of a signature, filled in
/// after the rest of the update is laid out.</summary>
internal sealed class PdfPlaceholder : PdfObject
{
    public PdfPlaceholder(string name, byte[] initial)
    {
        Name = name;
        Initial = initial;
    }

    public string Name { get; }

    public byte[] Initial { get; }
}
