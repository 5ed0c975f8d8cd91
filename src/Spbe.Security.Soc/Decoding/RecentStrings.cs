namespace Spbe.Security.Soc.Decoding;

/// <summary>
/// Hands out one instance of header strings that repeat from line to line (host, program, timestamp), so that events
/// kept for correlation share them instead of each holding a copy. A small table indexed by hash, each slot holding
/// the latest string seen there: bounded whatever the input, and safe from any thread (a slot is read or replaced
/// whole; a lost race only costs a copy).
/// </summary>
internal static class RecentStrings
{
    private const int Slots = 1024;

    private static readonly string?[] Table = new string?[Slots];

    /// <summary>An equal string seen recently, else <paramref name="value"/> (which is then remembered).</summary>
    public static string? Shared(string? value)
    {
        if (value is null || value.Length > 64)
        {
            return value;
        }

        var slot = (uint)value.GetHashCode() % Slots;
        var known = Volatile.Read(ref Table[slot]);
        if (known is not null && string.Equals(known, value, StringComparison.Ordinal))
        {
            return known;
        }

        Volatile.Write(ref Table[slot], value);
        return value;
    }
}
