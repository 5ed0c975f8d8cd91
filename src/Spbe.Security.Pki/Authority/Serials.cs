using System.Globalization;

namespace Spbe.Security.Pki.Authority;

/// <summary>Serial numbers as text: lower-case hex without leading zeros (what the store keys on).</summary>
public static class Serials
{
    /// <summary>The canonical form of big-endian serial bytes.</summary>
    public static string ToText(ReadOnlySpan<byte> serial)
    {
        var hex = Convert.ToHexStringLower(serial).TrimStart('0');
        return hex.Length == 0 ? "0" : hex;
    }

    /// <summary>Reads a serial as people write it (hex, any case, with or without colons, spaces or 0x).</summary>
    public static PkiResult<string> Parse(string? text)
    {
        var cleaned = (text ?? string.Empty).Trim().Replace(":", string.Empty, StringComparison.Ordinal).Replace(" ", string.Empty, StringComparison.Ordinal);
        if (cleaned.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            cleaned = cleaned[2..];
        }

        if (cleaned.Length == 0 || cleaned.Any(c => !char.IsAsciiHexDigit(c)))
        {
            return PkiResult<string>.Fail(PkiErrors.SerialInvalid, "a serial number is hexadecimal");
        }

        cleaned = cleaned.TrimStart('0').ToLower(CultureInfo.InvariantCulture);
        if (cleaned.Length > 40)
        {
            return PkiResult<string>.Fail(PkiErrors.SerialInvalid, "a serial number is at most 20 octets");
        }

        return PkiResult<string>.Ok(cleaned.Length == 0 ? "0" : cleaned);
    }
}
