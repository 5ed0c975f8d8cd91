using System.Globalization;

namespace Spbe.Security.Identity.Accounts;

/// <summary>
/// The Nomor Induk Pegawai of a civil servant: 18 digits = birth date (yyyyMMdd) + appointment month (yyyyMM) +
/// sex (1 or 2) + a 3-digit sequence number.
/// </summary>
public static class Nip
{
    /// <summary>The length of a NIP.</summary>
    public const int Length = 18;

    /// <summary>Checks the structure of <paramref name="value"/>.</summary>
    /// <returns><see langword="null"/> when valid, otherwise the reason (in English, for operators and API clients).</returns>
    public static string? Validate(string? value)
    {
        if (value is null || value.Length != Length || !value.All(char.IsAsciiDigit))
        {
            return "a NIP is exactly 18 digits";
        }

        if (!DateOnly.TryParseExact(value[..8], "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var born) || born.Year < 1900)
        {
            return "the first 8 digits of a NIP are a birth date (yyyyMMdd)";
        }

        if (!DateOnly.TryParseExact(value[8..14] + "01", "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var appointed)
            || appointed <= born)
        {
            return "digits 9-14 of a NIP are the appointment month (yyyyMM), after the birth date";
        }

        if (value[14] is not ('1' or '2'))
        {
            return "digit 15 of a NIP is 1 or 2";
        }

        return value[15..] == "000" ? "the last 3 digits of a NIP are a sequence number from 001" : null;
    }
}
