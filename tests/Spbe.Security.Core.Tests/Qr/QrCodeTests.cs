using System.Text;
using FsCheck;
using FsCheck.Xunit;
using QRCoder;

namespace Spbe.Security.Core.Qr;

/// <summary>Our encoder against QRCoder, an independent implementation of the same standard: module for module.</summary>
public sealed class QrCodeTests
{
    private static readonly QRCodeGenerator.ECCLevel[] Levels =
        [QRCodeGenerator.ECCLevel.L, QRCodeGenerator.ECCLevel.M, QRCodeGenerator.ECCLevel.Q, QRCodeGenerator.ECCLevel.H];

    // Byte-mode capacity of a version-40 code per level (ISO/IEC 18004 table 7).
    private static readonly int[] Capacity = [2953, 2331, 1663, 1273];

    [Property(MaxTest = 120)]
    public void Any_bytes_at_any_level_give_the_reference_matrix(NonEmptyArray<byte> seed, NonNegativeInt length, NonNegativeInt level)
    {
        var l = level.Get % 4;
        // Note: lengths spread over every version: mostly short (URLs), some up to the largest code.
        var size = length.Get % 8 == 0 ? length.Get * 37 % Capacity[l] : length.Get % 120;
        var data = Enumerable.Range(0, size).Select(i => (byte)(seed.Get[i % seed.Get.Length] + (i / seed.Get.Length))).ToArray();

        var ours = QrCode.Encode(data, (QrErrorCorrection)l);

        AssertSameModules(Reference(data, Levels[l]), ours);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void At_every_version_the_longest_data_that_fits_and_one_byte_more_match_the_reference(int level)
    {
        var shortest = 1;
        for (var version = 1; version <= 40; version++)
        {
            // The longest data of this version (ours), found by bisection.
            var (low, high) = (shortest, Capacity[level]);
            while (low < high)
            {
                var middle = (low + high + 1) / 2;
                (low, high) = QrCode.Encode(new byte[middle], (QrErrorCorrection)level, mask: 0).Version <= version ? (middle, high) : (low, middle - 1);
            }

            var longest = Enumerable.Range(0, low).Select(i => (byte)(i * 7)).ToArray();
            var ours = QrCode.Encode(longest, (QrErrorCorrection)level);
            Assert.Equal(version, ours.Version);
            AssertSameModules(Reference(longest, Levels[level]), ours);
            if (version < 40)
            {
                var more = longest.Append((byte)0x5A).ToArray();
                AssertSameModules(Reference(more, Levels[level]), QrCode.Encode(more, (QrErrorCorrection)level));
            }

            shortest = low + 1;
        }
    }

    [Theory]
    [InlineData("https://sso.kota.go.id/verifikasi/6f1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e")]
    [InlineData("otpauth://totp/SPBE%20Kota:198503302010011002?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=SPBE%20Kota&digits=6&period=30")]
    [InlineData("a")]
    [InlineData("Naskah dinas nomor 800/123/DISKOMINFO/2026 — ditandatangani secara elektronik")]
    public void Texts_we_encode_match_the_reference_including_the_mask_chosen(string text)
    {
        var data = Encoding.UTF8.GetBytes(text);

        var ours = QrCode.Encode(data);

        AssertSameModules(Reference(data, QRCodeGenerator.ECCLevel.M), ours);
    }

    [Fact]
    public void Every_mask_gives_a_different_valid_code_and_the_chosen_one_is_among_them()
    {
        var data = "https://sso.kota.go.id/verifikasi/0"u8.ToArray();
        var chosen = QrCode.Encode(data);

        var codes = Enumerable.Range(0, 8).Select(m => QrCode.Encode(data, QrErrorCorrection.Medium, m)).ToList();

        Assert.All(codes, (c, m) => Assert.Equal(m, c.Mask));
        Assert.Equal(8, codes.Select(Render).Distinct().Count());
        Assert.Equal(Render(codes[chosen.Mask]), Render(chosen));
    }

    [Fact]
    public void The_version_grows_with_the_data_and_too_much_is_refused()
    {
        Assert.Equal(1, QrCode.Encode(new byte[14]).Version);
        Assert.Equal(2, QrCode.Encode(new byte[15]).Version);
        Assert.Equal(40, QrCode.Encode(new byte[2331]).Version);
        Assert.Equal(177, QrCode.Encode(new byte[2331]).Size);

        var error = Assert.Throws<ArgumentException>(() => QrCode.Encode(new byte[2332]));
        Assert.Contains("2332 bytes", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => QrCode.Encode(new byte[1], mask: 8));
    }

    private static bool[,] Reference(byte[] data, QRCodeGenerator.ECCLevel level)
    {
        using var generator = new QRCodeGenerator();
        using var code = generator.CreateQrCode(data, level);
        // Note: QRCoder's matrix carries the four-module quiet zone on every side.
        var size = code.ModuleMatrix.Count - 8;
        var result = new bool[size, size];
        for (var y = 0; y < size; y++)
        {
            for (var x = 0; x < size; x++)
            {
                result[x, y] = code.ModuleMatrix[y + 4][x + 4];
            }
        }

        return result;
    }

    private static void AssertSameModules(bool[,] expected, QrCode actual)
    {
        Assert.Equal(expected.GetLength(0), actual.Size);
        var differing = new List<string>();
        for (var y = 0; y < actual.Size; y++)
        {
            for (var x = 0; x < actual.Size; x++)
            {
                if (expected[x, y] != actual[x, y])
                {
                    differing.Add($"({x},{y})");
                }
            }
        }

        Assert.True(differing.Count == 0, $"version {actual.Version} mask {actual.Mask}: {differing.Count} modules differ, first {string.Join(' ', differing.Take(10))}");
    }

    private static string Render(QrCode code)
    {
        var text = new StringBuilder();
        for (var y = 0; y < code.Size; y++)
        {
            for (var x = 0; x < code.Size; x++)
            {
                text.Append(code[x, y] ? '#' : '.');
            }
        }

        return text.ToString();
    }
}
