using System.Runtime.InteropServices;

namespace Spbe.Security.Core.Qr;

/// <summary>How much of a QR code may be damaged and still read (ISO/IEC 18004 §6.5.1): about 7, 15, 25 and 30 %.</summary>
public enum QrErrorCorrection
{
    /// <summary>About 7 % of the codewords may be lost.</summary>
    Low,

    /// <summary>About 15 %: the usual choice for print.</summary>
    Medium,

    /// <summary>About 25 %.</summary>
    Quartile,

    /// <summary>About 30 %.</summary>
    High,
}

/// <summary>
/// A QR code (ISO/IEC 18004, model 2) holding bytes in byte mode: the smallest version (1–40) that fits, Reed-Solomon
/// error correction over GF(2⁸), and the mask with the lowest penalty. The matrix has no quiet zone; draw four light
/// modules around it.
/// </summary>
/// <remarks>
/// Written for the signature stamp and the authenticator enrolment page: both encode a short URL, and the stamp is drawn
/// for every signed document, so the encoder keeps to flat arrays (a version-5 code takes tens of microseconds).
/// </remarks>
public sealed class QrCode
{
    // Per level (Low, Medium, Quartile, High) and version (index 0 unused): error-correction codewords per block, and blocks.
    private static readonly int[][] EccPerBlock =
    [
        [-1, 7, 10, 15, 20, 26, 18, 20, 24, 30, 18, 20, 24, 26, 30, 22, 24, 28, 30, 28, 28, 28, 28, 30, 30, 26, 28, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30],
        [-1, 10, 16, 26, 18, 24, 16, 18, 22, 22, 26, 30, 22, 22, 24, 24, 28, 28, 26, 26, 26, 26, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28],
        [-1, 13, 22, 18, 26, 18, 24, 18, 22, 20, 24, 28, 26, 24, 20, 30, 24, 28, 28, 26, 30, 28, 30, 30, 30, 30, 28, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30],
        [-1, 17, 28, 22, 16, 22, 28, 26, 26, 24, 28, 24, 28, 22, 24, 24, 30, 28, 28, 26, 28, 30, 24, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30],
    ];

    private static readonly int[][] Blocks =
    [
        [-1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 4, 4, 4, 4, 4, 6, 6, 6, 6, 7, 8, 8, 9, 9, 10, 12, 12, 12, 13, 14, 15, 16, 17, 18, 19, 19, 20, 21, 22, 24, 25],
        [-1, 1, 1, 1, 2, 2, 4, 4, 4, 5, 5, 5, 8, 9, 9, 10, 10, 11, 13, 14, 16, 17, 17, 18, 20, 21, 23, 25, 26, 28, 29, 31, 33, 35, 37, 38, 40, 43, 45, 47, 49],
        [-1, 1, 1, 2, 2, 4, 4, 6, 6, 8, 8, 8, 10, 12, 16, 12, 17, 16, 18, 21, 20, 23, 23, 25, 27, 29, 34, 34, 35, 38, 40, 43, 45, 48, 51, 53, 56, 59, 62, 65, 68],
        [-1, 1, 1, 2, 4, 4, 4, 5, 6, 8, 8, 11, 11, 16, 16, 18, 16, 19, 21, 25, 25, 25, 34, 30, 32, 35, 37, 40, 42, 45, 48, 51, 54, 57, 60, 63, 66, 70, 74, 77, 81],
    ];

    // Note: the two format-information bits of each level are not in enum order (§7.9.1).
    private static readonly int[] FormatBitsOfLevel = [1, 0, 3, 2];

    // Per version, the data modules each mask inverts (function patterns depend on the version only); built on first use.
    private static readonly bool[]?[][] MaskFlips = new bool[]?[41][];

    // GF(2⁸) exponents and logarithms for the Reed-Solomon arithmetic.
    private static readonly byte[] Exp = new byte[255];
    private static readonly byte[] Log = new byte[256];

    static QrCode()
    {
        var x = 1;
        for (var i = 0; i < 255; i++)
        {
            Exp[i] = (byte)x;
            Log[x] = (byte)i;
            x <<= 1;
            if (x > 0xFF)
            {
                x ^= 0x11D;
            }
        }
    }

    private readonly bool[] _dark;
    private readonly bool[] _function;

    private QrCode(int version, QrErrorCorrection level)
    {
        Version = version;
        ErrorCorrection = level;
        Size = (version * 4) + 17;
        _dark = new bool[Size * Size];
        _function = new bool[Size * Size];
    }

    /// <summary>The version, 1–40: the code is 17 + 4 × version modules wide.</summary>
    public int Version { get; }

    /// <summary>The error-correction level.</summary>
    public QrErrorCorrection ErrorCorrection { get; }

    /// <summary>Modules per side, without the quiet zone.</summary>
    public int Size { get; }

    /// <summary>The mask pattern (0–7) applied to the data.</summary>
    public int Mask { get; private set; }

    /// <summary>Whether the module in column <paramref name="x"/> and row <paramref name="y"/> (from the top left) is dark.</summary>
    public bool this[int x, int y] => _dark[(y * Size) + x];

    /// <summary>Encodes <paramref name="data"/> in byte mode.</summary>
    /// <param name="data">What the code holds (a URL as UTF-8, say).</param>
    /// <param name="level">The error-correction level.</param>
    /// <param name="mask">A mask pattern 0–7, or null for the one with the lowest penalty (§7.8.3).</param>
    /// <exception cref="ArgumentException">The data does not fit a version-40 code at this level (2953 bytes at Low).</exception>
    public static QrCode Encode(ReadOnlySpan<byte> data, QrErrorCorrection level = QrErrorCorrection.Medium, int? mask = null)
    {
        if (mask is < 0 or > 7)
        {
            throw new ArgumentOutOfRangeException(nameof(mask), mask, "a QR mask is 0–7");
        }

        var version = 1;
        while (BitsNeeded(data.Length, version) > DataCodewords(version, level) * 8)
        {
            if (++version > 40)
            {
                throw new ArgumentException($"{data.Length} bytes do not fit a QR code at level {level}", nameof(data));
            }
        }

        var code = new QrCode(version, level);
        code.DrawFunctionPatterns();
        code.DrawCodewords(code.AddErrorCorrection(code.Segment(data)));
        code.Mask = mask ?? code.BestMask();
        code.ApplyMask(code.Mask);
        code.DrawFormatBits(code.Mask);
        return code;
    }

    private static int BitsNeeded(int length, int version) => 4 + (version < 10 ? 8 : 16) + (8 * length);

    private static int RawDataModules(int version)
    {
        var result = (((16 * version) + 128) * version) + 64;
        if (version >= 2)
        {
            var alignments = (version / 7) + 2;
            result -= (((25 * alignments) - 10) * alignments) - 55;
            if (version >= 7)
            {
                result -= 36;
            }
        }

        return result;
    }

    private static int DataCodewords(int version, QrErrorCorrection level) =>
        (RawDataModules(version) / 8) - (EccPerBlock[(int)level][version] * Blocks[(int)level][version]);

    /// <summary>Mode indicator, count, the bytes, terminator and padding (§7.4).</summary>
    private byte[] Segment(ReadOnlySpan<byte> data)
    {
        var capacity = DataCodewords(Version, ErrorCorrection);
        var result = new byte[capacity];
        var bits = 0;
        void Put(int value, int count)
        {
            for (var i = count - 1; i >= 0; i--, bits++)
            {
                result[bits >> 3] |= (byte)(((value >> i) & 1) << (7 - (bits & 7)));
            }
        }

        Put(0b0100, 4);
        Put(data.Length, Version < 10 ? 8 : 16);
        foreach (var b in data)
        {
            Put(b, 8);
        }

        // Terminator (up to four zero bits), then to a byte boundary; the zeros are already there.
        bits = Math.Min(capacity * 8, bits + 4);
        bits = (bits + 7) & ~7;
        for (var pad = 0xEC; bits < capacity * 8; pad ^= 0xEC ^ 0x11)
        {
            Put(pad, 8);
        }

        return result;
    }

    /// <summary>Splits the data into blocks, appends each block's Reed-Solomon codewords and interleaves (§7.5–7.6).</summary>
    private byte[] AddErrorCorrection(byte[] data)
    {
        var blocks = Blocks[(int)ErrorCorrection][Version];
        var eccLength = EccPerBlock[(int)ErrorCorrection][Version];
        var raw = RawDataModules(Version) / 8;
        var shortBlocks = blocks - (raw % blocks);
        var shortLength = raw / blocks;
        var divisor = ReedSolomonDivisor(eccLength);
        var result = new byte[raw];

        var offset = 0;
        var blockData = new (int Start, int Length, byte[] Ecc)[blocks];
        for (var b = 0; b < blocks; b++)
        {
            var length = shortLength - eccLength + (b < shortBlocks ? 0 : 1);
            blockData[b] = (offset, length, ReedSolomonRemainder(data.AsSpan(offset, length), divisor));
            offset += length;
        }

        var at = 0;
        for (var i = 0; i <= shortLength - eccLength; i++)
        {
            for (var b = 0; b < blocks; b++)
            {
                if (i < blockData[b].Length)
                {
                    result[at++] = data[blockData[b].Start + i];
                }
            }
        }

        for (var i = 0; i < eccLength; i++)
        {
            for (var b = 0; b < blocks; b++)
            {
                result[at++] = blockData[b].Ecc[i];
            }
        }

        return result;
    }

    private static byte[] ReedSolomonDivisor(int degree)
    {
        var result = new byte[degree];
        result[degree - 1] = 1;
        byte root = 1;
        for (var i = 0; i < degree; i++)
        {
            for (var j = 0; j < degree; j++)
            {
                result[j] = Multiply(result[j], root);
                if (j + 1 < degree)
                {
                    result[j] ^= result[j + 1];
                }
            }

            root = Multiply(root, 0x02);
        }

        return result;
    }

    private static byte[] ReedSolomonRemainder(ReadOnlySpan<byte> data, byte[] divisor)
    {
        var result = new byte[divisor.Length];
        foreach (var b in data)
        {
            var factor = (byte)(b ^ result[0]);
            Array.Copy(result, 1, result, 0, result.Length - 1);
            result[^1] = 0;
            for (var i = 0; i < result.Length; i++)
            {
                result[i] ^= Multiply(divisor[i], factor);
            }
        }

        return result;
    }

    /// <summary>Multiplication in GF(2⁸) modulo x⁸ + x⁴ + x³ + x² + 1.</summary>
    private static byte Multiply(byte x, byte y) => x == 0 || y == 0 ? (byte)0 : Exp[(Log[x] + Log[y]) % 255];

    private void Set(int x, int y, bool dark)
    {
        _dark[(y * Size) + x] = dark;
        _function[(y * Size) + x] = true;
    }

    private void DrawFunctionPatterns()
    {
        for (var i = 0; i < Size; i++)
        {
            Set(6, i, i % 2 == 0);
            Set(i, 6, i % 2 == 0);
        }

        DrawFinder(3, 3);
        DrawFinder(Size - 4, 3);
        DrawFinder(3, Size - 4);

        var positions = AlignmentPositions();
        var last = positions.Length - 1;
        for (var i = 0; i < positions.Length; i++)
        {
            for (var j = 0; j < positions.Length; j++)
            {
                // Note: no alignment pattern where a finder pattern is.
                if ((i == 0 && j == 0) || (i == 0 && j == last) || (i == last && j == 0))
                {
                    continue;
                }

                for (var dy = -2; dy <= 2; dy++)
                {
                    for (var dx = -2; dx <= 2; dx++)
                    {
                        Set(positions[i] + dx, positions[j] + dy, Math.Max(Math.Abs(dx), Math.Abs(dy)) != 1);
                    }
                }
            }
        }

        // Reserve the format areas (drawn for real once the mask is chosen), and write the version (§7.10).
        DrawFormatBits(0);
        if (Version >= 7)
        {
            var remainder = Version;
            for (var i = 0; i < 12; i++)
            {
                remainder = (remainder << 1) ^ ((remainder >> 11) * 0x1F25);
            }

            var bits = (Version << 12) | remainder;
            for (var i = 0; i < 18; i++)
            {
                var dark = ((bits >> i) & 1) != 0;
                var a = Size - 11 + (i % 3);
                var b = i / 3;
                Set(a, b, dark);
                Set(b, a, dark);
            }
        }
    }

    private void DrawFinder(int x, int y)
    {
        for (var dy = -4; dy <= 4; dy++)
        {
            for (var dx = -4; dx <= 4; dx++)
            {
                var distance = Math.Max(Math.Abs(dx), Math.Abs(dy));
                if (x + dx >= 0 && x + dx < Size && y + dy >= 0 && y + dy < Size)
                {
                    Set(x + dx, y + dy, distance != 2 && distance != 4);
                }
            }
        }
    }

    private int[] AlignmentPositions()
    {
        if (Version == 1)
        {
            return [];
        }

        var count = (Version / 7) + 2;
        var step = ((Version * 8) + (count * 3) + 5) / ((count * 4) - 4) * 2;
        var result = new int[count];
        result[0] = 6;
        for (int i = count - 1, position = Size - 7; i >= 1; i--, position -= step)
        {
            result[i] = position;
        }

        return result;
    }

    /// <summary>The level and mask with their BCH(15,5) check, masked with 101010000010010, in both copies (§7.9).</summary>
    private void DrawFormatBits(int mask)
    {
        var data = (FormatBitsOfLevel[(int)ErrorCorrection] << 3) | mask;
        var remainder = data;
        for (var i = 0; i < 10; i++)
        {
            remainder = (remainder << 1) ^ ((remainder >> 9) * 0x537);
        }

        var bits = ((data << 10) | remainder) ^ 0x5412;
        bool Bit(int i) => ((bits >> i) & 1) != 0;

        for (var i = 0; i <= 5; i++)
        {
            Set(8, i, Bit(i));
        }

        Set(8, 7, Bit(6));
        Set(8, 8, Bit(7));
        Set(7, 8, Bit(8));
        for (var i = 9; i < 15; i++)
        {
            Set(14 - i, 8, Bit(i));
        }

        for (var i = 0; i < 8; i++)
        {
            Set(Size - 1 - i, 8, Bit(i));
        }

        for (var i = 8; i < 15; i++)
        {
            Set(8, Size - 15 + i, Bit(i));
        }

        // The dark module beside the lower-left finder.
        Set(8, Size - 8, true);
    }

    /// <summary>Places the codewords in two-module columns, zigzagging up and down from the lower right (§7.7.3).</summary>
    private void DrawCodewords(byte[] codewords)
    {
        var bit = 0;
        var total = codewords.Length * 8;
        for (var right = Size - 1; right >= 1; right -= 2)
        {
            if (right == 6)
            {
                right = 5;
            }

            var upward = ((right + 1) & 2) == 0;
            for (var vertical = 0; vertical < Size; vertical++)
            {
                var y = upward ? Size - 1 - vertical : vertical;
                for (var j = 0; j < 2; j++)
                {
                    var index = (y * Size) + right - j;
                    if (!_function[index] && bit < total)
                    {
                        _dark[index] = ((codewords[bit >> 3] >> (7 - (bit & 7))) & 1) != 0;
                        bit++;
                    }
                }
            }
        }
    }

    private static bool Masked(int mask, int x, int y) => mask switch
    {
        0 => (x + y) % 2 == 0,
        1 => y % 2 == 0,
        2 => x % 3 == 0,
        3 => (x + y) % 3 == 0,
        4 => ((x / 3) + (y / 2)) % 2 == 0,
        5 => ((x * y) % 2) + ((x * y) % 3) == 0,
        6 => (((x * y) % 2) + ((x * y) % 3)) % 2 == 0,
        _ => (((x + y) % 2) + ((x * y) % 3)) % 2 == 0,
    };

    /// <summary>Inverts the data modules the mask selects (applying it twice undoes it).</summary>
    private void ApplyMask(int mask)
    {
        var flips = Flips(mask);
        for (var i = 0; i < _dark.Length; i++)
        {
            _dark[i] ^= flips[i];
        }
    }

    private bool[] Flips(int mask)
    {
        var flips = Volatile.Read(ref MaskFlips[Version]);
        if (flips is null)
        {
            // Note: the first thread to get here installs the version's table; the others use it.
            Interlocked.CompareExchange(ref MaskFlips[Version], new bool[8][], null);
            flips = MaskFlips[Version]!;
        }

        if (Volatile.Read(ref flips[mask]) is { } known)
        {
            return known;
        }

        var made = new bool[Size * Size];
        for (var y = 0; y < Size; y++)
        {
            for (var x = 0; x < Size; x++)
            {
                made[(y * Size) + x] = !_function[(y * Size) + x] && Masked(mask, x, y);
            }
        }

        // Note: two threads may build the same table; either copy is right.
        Volatile.Write(ref flips[mask], made);
        return made;
    }

    private int BestMask()
    {
        var best = 0;
        var lowest = int.MaxValue;
        for (var mask = 0; mask < 8; mask++)
        {
            ApplyMask(mask);
            DrawFormatBits(mask);
            var penalty = Penalty();
            if (penalty < lowest)
            {
                (best, lowest) = (mask, penalty);
            }

            ApplyMask(mask);
        }

        return best;
    }

    /// <summary>The four penalty rules of §7.8.3: runs of five or more, 2×2 blocks, finder-like 1:1:3:1:1 patterns
    /// with four light modules on a side, and dark modules away from half.</summary>
    private int Penalty()
    {
        // Note: bools are bytes 0 and 1, so modules add up; the loops avoid branches the random data would mispredict.
        var modules = MemoryMarshal.Cast<bool, byte>(_dark.AsSpan());
        var size = Size;
        var penalty = 0;
        var dark = 0;
        for (var a = 0; a < size; a++)
        {
            penalty += LinePenalty(modules, a * size, 1, size) + LinePenalty(modules, a, size, size);
        }

        for (var y = 0; y < size; y++)
        {
            var row = modules.Slice(y * size, size);
            for (var x = 0; x < size; x++)
            {
                dark += row[x];
            }

            if (y + 1 < size)
            {
                var next = modules.Slice((y + 1) * size, size);
                for (var x = 0; x + 1 < size; x++)
                {
                    // A 2×2 block of one colour sums to 0 or 4.
                    var sum = row[x] + row[x + 1] + next[x] + next[x + 1];
                    penalty += (sum & 3) == 0 ? 3 : 0;
                }
            }
        }

        var total = size * size;
        var deviation = Math.Abs((dark * 20) - (total * 10));
        return penalty + (Math.Max(0, ((deviation + total - 1) / total) - 1) * 10);
    }

    /// <summary>Rules 1 and 3 along one row (step 1) or column (step size).</summary>
    private static int LinePenalty(ReadOnlySpan<byte> modules, int start, int step, int size)
    {
        var penalty = 0;
        var run = 0;
        var previous = -1;
        var pattern = 0;
        for (int i = 0, at = start; i < size; i++, at += step)
        {
            int module = modules[at];
            // Note: arithmetic instead of branches (random data would mispredict them): a run that ends scores
            // run - 2 when five or longer; the new run starts at one.
            var ends = module != previous ? 1 : 0;
            penalty += ends * (run >= 5 ? run - 2 : 0);
            run = (run * (1 - ends)) + 1;
            previous = module;

            // Dark-light-dark×3-light-dark with four light modules after it (0x5D0) or before it (0x05D).
            pattern = ((pattern << 1) | module) & 0x7FF;
            penalty += i >= 10 && (pattern == 0x5D0 || pattern == 0x05D) ? 40 : 0;
        }

        return penalty + (run >= 5 ? run - 2 : 0);
    }
}
