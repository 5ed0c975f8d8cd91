using System.IO.Compression;

namespace Spbe.Security.Pki.Signing.Pdf;

/// <summary>One cross-reference section of the file (one revision, or a linearized file's first-page section).</summary>
/// <param name="Offset">Where the section starts (its <c>startxref</c> value).</param>
/// <param name="IsStream">Whether it is a cross-reference stream (PDF 1.5) rather than a table.</param>
/// <param name="Trailer">Its trailer dictionary (the stream's dictionary for a cross-reference stream).</param>
/// <param name="Objects">The object numbers it defines as in use.</param>
internal sealed record PdfXrefSection(long Offset, bool IsStream, PdfDictionary Trailer, IReadOnlyList<int> Objects);

/// <summary>A page of the document.</summary>
/// <param name="Reference">The page object.</param>
/// <param name="Dictionary">The page dictionary as stored.</param>
/// <param name="MediaBox">The page's media box (inherited if need be): x0, y0, x1, y1.</param>
/// <param name="Rotate">Its rotation in degrees (0, 90, 180, 270).</param>
internal sealed record PdfPage(PdfReference Reference, PdfDictionary Dictionary, double[] MediaBox, int Rotate);

/// <summary>
/// A PDF file opened for signing or verification: its cross-reference sections (tables and streams, object streams,
/// hybrid files, every <c>/Prev</c>), objects resolved on demand with cycle guards, and the page tree. Everything it
/// reads is bounded (sections, objects, decoded stream sizes, nesting), so a hostile file ends in a
/// <see cref="PdfFormatException"/>, never a hang or a crash.
/// </summary>
internal sealed class PdfFile
{
    private const int MaxSections = 4096;
    private const int MaxObjects = 8_388_607;
    private const int MaxPages = 100_000;
    private const long MaxDecoded = 256L * 1024 * 1024;

    private readonly Dictionary<int, Entry> _entries = [];
    private readonly Dictionary<int, PdfObject> _cache = [];
    private readonly Dictionary<int, (int First, int[] Numbers, int[] Offsets, byte[] Data)> _objectStreams = [];
    private readonly HashSet<int> _resolving = [];
    private readonly List<PdfXrefSection> _sections = [];
    private List<PdfPage>? _pages;

    private readonly Func<PdfReference, long?> _resolveLength;

    private PdfFile(ReadOnlyMemory<byte> bytes)
    {
        Bytes = bytes;
        _resolveLength = ResolveLength;
    }

    private enum EntryKind
    {
        Free,
        InFile,
        InStream,
    }

    /// <summary>The whole file.</summary>
    public ReadOnlyMemory<byte> Bytes { get; }

    /// <summary>The PDF version in the header (e.g. "1.7").</summary>
    public string Version { get; private set; } = "1.4";

    /// <summary>The newest trailer.</summary>
    public PdfDictionary Trailer => _sections[0].Trailer;

    /// <summary>The offset of the newest cross-reference section (the file's last <c>startxref</c>).</summary>
    public long StartXref => _sections[0].Offset;

    /// <summary>The cross-reference sections, newest first (following <c>/Prev</c>).</summary>
    public IReadOnlyList<PdfXrefSection> Sections => _sections;

    /// <summary>One more than the highest object number in use (the trailer's /Size, or more if entries exceed it).</summary>
    public int Size { get; private set; }

    /// <summary>Whether the file is encrypted (it has /Encrypt): its strings and streams cannot be read here.</summary>
    public bool IsEncrypted => Trailer["Encrypt"] is not null;

    /// <summary>The document catalog.</summary>
    public PdfDictionary Catalog { get; private set; } = null!;

    /// <summary>The catalog's reference.</summary>
    public PdfReference CatalogReference { get; private set; } = null!;

    /// <summary>Opens a PDF; throws <see cref="PdfFormatException"/> when its structure cannot be read.</summary>
    public static PdfFile Open(ReadOnlyMemory<byte> bytes)
    {
        var file = new PdfFile(bytes);
        file.Load();
        return file;
    }

    private void Load()
    {
        var span = Bytes.Span;
        var header = span[..Math.Min(span.Length, 1024)].IndexOf("%PDF-"u8);
        if (header < 0)
        {
            throw new PdfFormatException("not a PDF file (no %PDF- header)", 0);
        }

        var versionEnd = header + 5;
        while (versionEnd < span.Length && versionEnd < header + 9 && span[versionEnd] is (>= (byte)'0' and <= (byte)'9') or (byte)'.')
        {
            versionEnd++;
        }

        Version = System.Text.Encoding.ASCII.GetString(span[(header + 5)..versionEnd]);
        var tail = span[Math.Max(0, span.Length - 4096)..];
        var at = tail.LastIndexOf("startxref"u8);
        if (at < 0)
        {
            throw new PdfFormatException("no 'startxref' at the end of the file (truncated?)", span.Length);
        }

        var parser = new PdfParser(Bytes, span.Length - tail.Length + at + "startxref".Length);
        var offset = parser.TryReadUnsigned() ?? throw new PdfFormatException("'startxref' is not followed by an offset", parser.Position);
        var visited = new HashSet<long>();
        long? next = offset;
        while (next is { } sectionOffset)
        {
            if (!visited.Add(sectionOffset) || _sections.Count >= MaxSections)
            {
                throw new PdfFormatException("the cross-reference sections form a loop or are too many", sectionOffset);
            }

            if (sectionOffset < 0 || sectionOffset >= span.Length)
            {
                throw new PdfFormatException("a cross-reference offset points outside the file", sectionOffset);
            }

            var section = ReadSection(sectionOffset);
            _sections.Add(section);
            next = (section.Trailer["Prev"] as PdfNumber)?.AsLong;
        }

        var declared = (Trailer["Size"] as PdfNumber)?.AsLong ?? 0;
        Size = (int)Math.Min(MaxObjects, Math.Max(declared, _entries.Count == 0 ? 0 : _entries.Keys.Max() + 1L));
        if (Trailer["Root"] is not PdfReference root)
        {
            throw new PdfFormatException("the trailer has no /Root", StartXref);
        }

        CatalogReference = root;
        if (IsEncrypted)
        {
            // Note: nothing below the trailer can be read without the key; callers refuse encrypted files.
            Catalog = new PdfDictionary();
            return;
        }

        Catalog = Resolve(root) as PdfDictionary ?? throw new PdfFormatException("/Root is not a dictionary", StartXref);
    }

    private PdfXrefSection ReadSection(long offset)
    {
        var parser = new PdfParser(Bytes, offset);
        if (parser.TryKeyword("xref"))
        {
            return ReadTable(parser, offset);
        }

        var (number, _) = parser.ReadObjectHeader();
        if (parser.ReadIndirectBody() is not PdfStream stream || stream.Dictionary.NameOf("Type") != "XRef")
        {
            throw new PdfFormatException("the cross-reference offset points to neither 'xref' nor an /XRef stream", offset);
        }

        var objects = ReadXrefStream(stream, offset);
        // Note: the cross-reference stream itself is an object of this revision.
        AddEntry(number, new Entry(EntryKind.InFile, offset, 0, 0), objects);
        return new PdfXrefSection(offset, true, stream.Dictionary, objects);
    }

    private PdfXrefSection ReadTable(PdfParser parser, long offset)
    {
        var objects = new List<int>();
        var span = Bytes.Span;
        while (true)
        {
            if (parser.TryKeyword("trailer"))
            {
                break;
            }

            var first = parser.TryReadUnsigned();
            var count = parser.TryReadUnsigned();
            if (first is null || count is null || first + count > MaxObjects)
            {
                throw new PdfFormatException("bad cross-reference subsection header", parser.Position);
            }

            // Note: room for the subsection at once (a 10 000-object file otherwise regrows both a dozen times), but no
            // more than the entries the rest of the file can hold (18 bytes or more each): a hostile header claiming
            // millions of objects must not buy a large allocation.
            var room = (int)Math.Min(count.Value, ((span.Length - parser.Position) / 18) + 1);
            _entries.EnsureCapacity(_entries.Count + room);
            objects.EnsureCapacity(objects.Count + room);

            for (var i = 0; i < count; i++)
            {
                parser.SkipWhitespace();
                // Note: the standard 20-byte entry ("oooooooooo ggggg n\r\n") read in place; anything else by tokens.
                if (StandardEntry(span, parser.Position) is { } standard)
                {
                    parser.Position += 18;
                    AddEntry((int)(first + i), standard, standard.Kind == EntryKind.InFile ? objects : null);
                    continue;
                }

                var entryOffset = parser.TryReadUnsigned();
                var generation = parser.TryReadUnsigned();
                parser.SkipWhitespace();
                if (entryOffset is null || generation is null || parser.Position >= span.Length)
                {
                    throw new PdfFormatException("bad cross-reference entry", parser.Position);
                }

                var kind = span[(int)parser.Position];
                parser.Position++;
                if (kind == 'n')
                {
                    AddEntry((int)(first + i), new Entry(EntryKind.InFile, entryOffset.Value, (int)Math.Min(generation.Value, 65535), 0), objects);
                }
                else if (kind == 'f')
                {
                    AddEntry((int)(first + i), new Entry(EntryKind.Free, 0, 0, 0), null);
                }
                else
                {
                    throw new PdfFormatException("a cross-reference entry is neither 'n' nor 'f'", parser.Position - 1);
                }
            }
        }

        if (parser.ReadObject() is not PdfDictionary trailer)
        {
            throw new PdfFormatException("'trailer' is not followed by a dictionary", parser.Position);
        }

        // Note: a hybrid file's table points to a cross-reference stream holding the objects in object streams.
        if ((trailer["XRefStm"] as PdfNumber)?.AsLong is { } streamOffset && streamOffset >= 0 && streamOffset < span.Length)
        {
            var streamParser = new PdfParser(Bytes, streamOffset);
            streamParser.ReadObjectHeader();
            if (streamParser.ReadIndirectBody() is PdfStream stream && stream.Dictionary.NameOf("Type") == "XRef")
            {
                objects.AddRange(ReadXrefStream(stream, streamOffset));
            }
        }

        return new PdfXrefSection(offset, false, trailer, objects);
    }

    private static Entry? StandardEntry(ReadOnlySpan<byte> span, long at)
    {
        if (at + 18 > span.Length)
        {
            return null;
        }

        var entry = span.Slice((int)at, 18);
        if (entry[10] != ' ' || entry[16] != ' ' || entry[17] is not ((byte)'n' or (byte)'f'))
        {
            return null;
        }

        long offset = 0;
        var generation = 0;
        for (var i = 0; i < 10; i++)
        {
            if (entry[i] is < (byte)'0' or > (byte)'9')
            {
                return null;
            }

            offset = (offset * 10) + (entry[i] - '0');
        }

        for (var i = 11; i < 16; i++)
        {
            if (entry[i] is < (byte)'0' or > (byte)'9')
            {
                return null;
            }

            generation = (generation * 10) + (entry[i] - '0');
        }

        return entry[17] == 'n' ? new Entry(EntryKind.InFile, offset, generation, 0) : new Entry(EntryKind.Free, 0, 0, 0);
    }

    private List<int> ReadXrefStream(PdfStream stream, long offset)
    {
        var objects = new List<int>();
        var data = Decode(stream);
        if (stream.Dictionary["W"] is not PdfArray { Count: 3 } w || w.Items.Any(i => i is not PdfNumber { AsLong: >= 0 and <= 8 }))
        {
            throw new PdfFormatException("the cross-reference stream has no valid /W", offset);
        }

        var widths = w.Items.Select(i => (int)((PdfNumber)i).AsLong!.Value).ToArray();
        var rowLength = widths.Sum();
        var size = (stream.Dictionary["Size"] as PdfNumber)?.AsLong ?? 0;
        var index = stream.Dictionary["Index"] is PdfArray array
            ? array.Items.Select(i => (i as PdfNumber)?.AsLong ?? -1).ToArray()
            : [0, size];
        if (index.Length % 2 != 0 || index.Any(i => i < 0 || i > MaxObjects) || rowLength == 0)
        {
            throw new PdfFormatException("the cross-reference stream has a bad /Index", offset);
        }

        var position = 0;
        for (var s = 0; s < index.Length; s += 2)
        {
            for (var i = 0; i < index[s + 1]; i++)
            {
                if (position + rowLength > data.Length)
                {
                    throw new PdfFormatException("the cross-reference stream is shorter than its /Index says", offset);
                }

                var row = data.AsSpan(position, rowLength);
                position += rowLength;
                var type = widths[0] == 0 ? 1 : Field(row[..widths[0]]);
                var field2 = Field(row.Slice(widths[0], widths[1]));
                var field3 = Field(row.Slice(widths[0] + widths[1], widths[2]));
                var number = (int)(index[s] + i);
                switch (type)
                {
                    case 0:
                        AddEntry(number, new Entry(EntryKind.Free, 0, 0, 0), null);
                        break;
                    case 1:
                        AddEntry(number, new Entry(EntryKind.InFile, field2, (int)Math.Min(field3, 65535), 0), objects);
                        break;
                    case 2:
                        AddEntry(number, new Entry(EntryKind.InStream, field2, 0, (int)Math.Min(field3, int.MaxValue)), objects);
                        break;
                    default:
                        break;
                }
            }
        }

        return objects;
    }

    private static long Field(ReadOnlySpan<byte> bytes)
    {
        long value = 0;
        foreach (var b in bytes)
        {
            value = (value << 8) | b;
        }

        return value;
    }

    private void AddEntry(int number, Entry entry, List<int>? objects)
    {
        // Note: sections are read newest first, so the first entry seen for a number is the current one.
        if (_entries.TryAdd(number, entry) && _entries.Count > MaxObjects)
        {
            throw new PdfFormatException("too many objects", 0);
        }

        if (entry.Kind != EntryKind.Free)
        {
            objects?.Add(number);
        }
    }

    /// <summary>Whether the object is in use in the current revision.</summary>
    public bool Exists(int number) => _entries.TryGetValue(number, out var entry) && entry.Kind != EntryKind.Free;

    /// <summary>Follows references until a direct object (null for a missing or free object, or a reference loop).</summary>
    public PdfObject? Resolve(PdfObject? value)
    {
        for (var hops = 0; value is PdfReference reference; hops++)
        {
            if (hops > 32)
            {
                throw new PdfFormatException("a chain of references is too long (a loop?)", 0);
            }

            value = Get(reference.Number);
        }

        return value;
    }

    public PdfDictionary? ResolveDictionary(PdfObject? value) => Resolve(value) switch
    {
        PdfDictionary d => d,
        PdfStream s => s.Dictionary,
        _ => null,
    };

    /// <summary>The object with that number as stored (possibly itself a reference), or null.</summary>
    public PdfObject? Get(int number)
    {
        if (_cache.TryGetValue(number, out var cached))
        {
            return cached;
        }

        if (!_entries.TryGetValue(number, out var entry) || entry.Kind == EntryKind.Free)
        {
            return null;
        }

        if (!_resolving.Add(number))
        {
            throw new PdfFormatException($"object {number} refers back to itself while being read", entry.Offset);
        }

        try
        {
            var value = entry.Kind == EntryKind.InFile ? ReadInFile(number, entry.Offset) : ReadInStream(number, (int)entry.Offset, entry.Index);
            _cache[number] = value;
            return value;
        }
        finally
        {
            _resolving.Remove(number);
        }
    }

    /// <summary>Where the object's header starts in the file (for objects stored directly), or null.</summary>
    public long? OffsetOf(int number) => _entries.TryGetValue(number, out var e) && e.Kind == EntryKind.InFile ? e.Offset : null;

    private PdfObject ReadInFile(int number, long offset)
    {
        if (offset < 0 || offset >= Bytes.Length)
        {
            throw new PdfFormatException($"object {number} is listed outside the file", offset);
        }

        var parser = new PdfParser(Bytes, offset, _resolveLength);
        var (found, _) = parser.ReadObjectHeader();
        if (found != number)
        {
            throw new PdfFormatException($"the cross-reference table points object {number} to object {found} (damaged table)", offset);
        }

        return parser.ReadIndirectBody();
    }

    private long? ResolveLength(PdfReference reference)
    {
        try
        {
            return (Resolve(reference) as PdfNumber)?.AsLong;
        }
        catch (PdfFormatException)
        {
            // Note: an unreadable or looping /Length: the parser finds 'endstream' instead.
            return null;
        }
    }

    private PdfObject ReadInStream(int number, int streamNumber, int index)
    {
        if (!_objectStreams.TryGetValue(streamNumber, out var objectStream))
        {
            if (_entries.TryGetValue(streamNumber, out var container) && container.Kind != EntryKind.InFile)
            {
                throw new PdfFormatException($"object stream {streamNumber} is itself inside an object stream", 0);
            }

            if (Get(streamNumber) is not PdfStream stream || stream.Dictionary.NameOf("Type") != "ObjStm")
            {
                throw new PdfFormatException($"object {number} is listed in {streamNumber}, which is not an object stream", 0);
            }

            var data = Decode(stream);
            var count = (int)Math.Clamp((stream.Dictionary["N"] as PdfNumber)?.AsLong ?? 0, 0, 1_000_000);
            var first = (int)Math.Clamp((stream.Dictionary["First"] as PdfNumber)?.AsLong ?? 0, 0, data.Length);
            var header = new PdfParser(data);
            var numbers = new int[count];
            var offsets = new int[count];
            for (var i = 0; i < count; i++)
            {
                numbers[i] = (int)Math.Min(header.TryReadUnsigned() ?? throw new PdfFormatException("bad object stream header", i), int.MaxValue);
                offsets[i] = (int)Math.Min(header.TryReadUnsigned() ?? throw new PdfFormatException("bad object stream header", i), int.MaxValue);
            }

            objectStream = (first, numbers, offsets, data);
            _objectStreams[streamNumber] = objectStream;
        }

        var at = index < objectStream.Numbers.Length && objectStream.Numbers[index] == number ? index : Array.IndexOf(objectStream.Numbers, number);
        if (at < 0 || (long)objectStream.First + objectStream.Offsets[at] >= objectStream.Data.Length)
        {
            throw new PdfFormatException($"object {number} is not in object stream {streamNumber}", 0);
        }

        return new PdfParser(objectStream.Data, objectStream.First + objectStream.Offsets[at]).ReadObject();
    }

    /// <summary>A stream's decoded data (FlateDecode with PNG predictors; no filter). Other filters are not needed for the
    /// structure and are refused.</summary>
    public byte[] Decode(PdfStream stream)
    {
        var filters = Resolve(stream.Dictionary["Filter"]) switch
        {
            null => [],
            PdfName n => [n.Value],
            PdfArray a => a.Items.Select(i => (Resolve(i) as PdfName)?.Value ?? "?").ToArray(),
            _ => ["?"],
        };
        var parameters = Resolve(stream.Dictionary["DecodeParms"]) switch
        {
            PdfDictionary d => d,
            PdfArray a when a.Count > 0 => Resolve(a[0]) as PdfDictionary,
            _ => null,
        };
        var data = stream.Data.ToArray();
        foreach (var filter in filters)
        {
            data = filter switch
            {
                "FlateDecode" or "Fl" => Predict(Inflate(data), parameters),
                _ => throw new PdfFormatException($"stream filter /{filter} is not supported here", 0),
            };
        }

        return data;
    }

    private static byte[] Inflate(byte[] data)
    {
        try
        {
            return InflateWith(data, raw: false);
        }
        catch (InvalidDataException)
        {
            // Note: some producers write a raw deflate stream or a bad Adler-32; read what inflates.
            try
            {
                return data.Length > 2 ? InflateWith(data[2..], raw: true) : throw new PdfFormatException("the stream does not inflate", 0);
            }
            catch (InvalidDataException)
            {
                throw new PdfFormatException("the stream does not inflate", 0);
            }
        }
    }

    private static byte[] InflateWith(byte[] data, bool raw)
    {
        using var input = new MemoryStream(data);
        using Stream inflater = raw ? new DeflateStream(input, CompressionMode.Decompress) : new ZLibStream(input, CompressionMode.Decompress);
        using var output = new MemoryStream();
        var buffer = new byte[81920];
        int read;
        try
        {
            while ((read = inflater.Read(buffer)) > 0)
            {
                output.Write(buffer, 0, read);
                if (output.Length > MaxDecoded)
                {
                    throw new PdfFormatException("a stream inflates beyond the limit (a decompression bomb?)", 0);
                }
            }
        }
        catch (InvalidDataException) when (output.Length > 0)
        {
            // Note: a truncated tail after valid data: keep what inflated, as readers do.
        }

        return output.ToArray();
    }

    private static byte[] Predict(byte[] data, PdfDictionary? parameters)
    {
        var predictor = (parameters?["Predictor"] as PdfNumber)?.AsLong ?? 1;
        if (predictor < 10)
        {
            return predictor == 1 ? data : throw new PdfFormatException($"predictor {predictor} is not supported here", 0);
        }

        var colors = (int)Math.Clamp((parameters!["Colors"] as PdfNumber)?.AsLong ?? 1, 1, 32);
        var bits = (int)Math.Clamp((parameters["BitsPerComponent"] as PdfNumber)?.AsLong ?? 8, 1, 16);
        var columns = (int)Math.Clamp((parameters["Columns"] as PdfNumber)?.AsLong ?? 1, 1, 1 << 20);
        var bytesPerPixel = Math.Max(1, colors * bits / 8);
        var rowLength = ((columns * colors * bits) + 7) / 8;
        var rows = data.Length / (rowLength + 1);
        var output = new byte[rows * rowLength];
        var previous = new byte[rowLength];
        for (var r = 0; r < rows; r++)
        {
            var type = data[r * (rowLength + 1)];
            var row = data.AsSpan((r * (rowLength + 1)) + 1, rowLength);
            var current = output.AsSpan(r * rowLength, rowLength);
            for (var i = 0; i < rowLength; i++)
            {
                int left = i >= bytesPerPixel ? current[i - bytesPerPixel] : 0;
                int up = previous[i];
                int upLeft = i >= bytesPerPixel ? previous[i - bytesPerPixel] : 0;
                current[i] = unchecked((byte)(type switch
                {
                    0 => row[i],
                    1 => row[i] + left,
                    2 => row[i] + up,
                    3 => row[i] + ((left + up) / 2),
                    4 => row[i] + Paeth(left, up, upLeft),
                    _ => throw new PdfFormatException($"bad PNG predictor row type {type}", 0),
                }));
            }

            current.CopyTo(previous);
        }

        return output;
    }

    private static int Paeth(int a, int b, int c)
    {
        var p = a + b - c;
        int pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }

    /// <summary>The number of pages the page tree's root declares (/Count), or the number found by walking it when the
    /// declaration is missing or implausible.</summary>
    public int PageCount => PagesRoot() is { } root && Resolve(root["Count"]) is PdfNumber { AsLong: > 0 and <= MaxPages } count ? (int)count.AsLong!.Value : Pages.Count;

    /// <summary>One page (0-based), found by descending the page tree along its /Count entries instead of reading
    /// every page (signing needs one page of a 500-page document); falls back to the full walk when the counts do not add up.</summary>
    public PdfPage Page(int index)
    {
        if (_pages is null && Catalog["Pages"] is PdfReference root && TryDescend(root, index) is { } page)
        {
            return page;
        }

        var pages = Pages;
        return index >= 0 && index < pages.Count ? pages[index] : throw new PdfFormatException($"the document has no page {index + 1}", 0);
    }

    private PdfDictionary? PagesRoot() => ResolveDictionary(Catalog["Pages"]);

    private PdfPage? TryDescend(PdfReference root, int index)
    {
        var node = root;
        double[]? box = null;
        var rotate = 0;
        var visited = new HashSet<int>();
        while (visited.Add(node.Number) && visited.Count < 256)
        {
            var dictionary = ResolveDictionary(node);
            if (dictionary is null)
            {
                return null;
            }

            box = Rectangle(Resolve(dictionary["MediaBox"])) ?? box;
            rotate = (Resolve(dictionary["Rotate"]) as PdfNumber)?.AsLong is { } r ? (int)(((r % 360) + 360) % 360) : rotate;
            if (dictionary.NameOf("Type") == "Page" || dictionary["Kids"] is null)
            {
                return index == 0 ? new PdfPage(node, dictionary, box ?? [0, 0, 595.28, 841.89], rotate) : null;
            }

            if (Resolve(dictionary["Kids"]) is not PdfArray kids)
            {
                return null;
            }

            PdfReference? next = null;
            foreach (var kid in kids.Items)
            {
                if (kid is not PdfReference reference || ResolveDictionary(reference) is not { } child)
                {
                    return null;
                }

                var isLeaf = child.NameOf("Type") == "Page" || child["Kids"] is null;
                var count = isLeaf ? 1 : (Resolve(child["Count"]) as PdfNumber)?.AsLong;
                if (count is null or < 0)
                {
                    return null;
                }

                if (index < count)
                {
                    next = reference;
                    break;
                }

                index -= (int)count;
            }

            if (next is null)
            {
                return null;
            }

            node = next;
        }

        return null;
    }

    /// <summary>The pages in order (the page tree walked with loop detection; inherited MediaBox and Rotate applied).</summary>
    public IReadOnlyList<PdfPage> Pages => _pages ??= ReadPages();

    private List<PdfPage> ReadPages()
    {
        var pages = new List<PdfPage>();
        if (Catalog["Pages"] is not PdfReference root)
        {
            throw new PdfFormatException("the catalog has no /Pages reference", 0);
        }

        var visited = new HashSet<int>();
        var stack = new Stack<(PdfReference Node, double[]? MediaBox, int Rotate, int Depth)>();
        stack.Push((root, null, 0, 0));
        while (stack.Count > 0)
        {
            var (node, inheritedBox, inheritedRotate, depth) = stack.Pop();
            if (!visited.Add(node.Number) || depth > 256)
            {
                throw new PdfFormatException($"the page tree loops back to object {node.Number}", 0);
            }

            var dictionary = ResolveDictionary(node) ?? throw new PdfFormatException($"page tree node {node.Number} is not a dictionary", 0);
            var box = Rectangle(Resolve(dictionary["MediaBox"])) ?? inheritedBox;
            var rotate = (Resolve(dictionary["Rotate"]) as PdfNumber)?.AsLong is { } r ? (int)(((r % 360) + 360) % 360) : inheritedRotate;
            if (dictionary.NameOf("Type") == "Pages" || (dictionary.NameOf("Type") != "Page" && dictionary["Kids"] is not null))
            {
                if (Resolve(dictionary["Kids"]) is not PdfArray kids)
                {
                    throw new PdfFormatException($"page tree node {node.Number} has no /Kids", 0);
                }

                for (var i = kids.Count - 1; i >= 0; i--)
                {
                    if (kids[i] is PdfReference kid)
                    {
                        stack.Push((kid, box, rotate, depth + 1));
                    }
                }
            }
            else
            {
                pages.Add(new PdfPage(node, dictionary, box ?? [0, 0, 595.28, 841.89], rotate));
                if (pages.Count > MaxPages)
                {
                    throw new PdfFormatException("too many pages", 0);
                }
            }
        }

        return pages;
    }

    /// <summary>Reads [x0 y0 x1 y1] as a normalised rectangle, or null.</summary>
    public double[]? Rectangle(PdfObject? value)
    {
        if (value is not PdfArray { Count: 4 } array)
        {
            return null;
        }

        var n = array.Items.Select(i => Resolve(i) is PdfNumber number ? number.Value : double.NaN).ToArray();
        return n.Any(double.IsNaN) ? null : [Math.Min(n[0], n[2]), Math.Min(n[1], n[3]), Math.Max(n[0], n[2]), Math.Max(n[1], n[3])];
    }

    private readonly record struct Entry(EntryKind Kind, long Offset, int Generation, int Index);
}
