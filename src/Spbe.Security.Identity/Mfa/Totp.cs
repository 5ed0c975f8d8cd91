using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Spbe.Security.Identity.Mfa;

/// <summary>
/// RFC 6238 time-based one-time passwords as authenticator apps compute them: HMAC-SHA1, 30-second steps,
/// 6 digits. Written out here (instead of Identity's authenticator provider) so that the step that matched is known,
/// which is what refusing a replayed code needs.
/// </summary>
public static class Totp
{
    /// <summary>Seconds per time step.</summary>
    public const int StepSeconds = 30;

    /// <summary>Digits per code.</summary>
    public const int Digits = 6;

    /// <summary>The time step that contains <paramref name="at"/>.</summary>
    public static long StepOf(DateTimeOffset at) => at.ToUnixTimeSeconds() / StepSeconds;

    /// <summary>The code for <paramref name="step"/> (RFC 4226 dynamic truncation).</summary>
    public static string Compute(ReadOnlySpan<byte> secret, long step)
    {
        Span<byte> counter = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(counter, step);
        Span<byte> mac = stackalloc byte[HMACSHA1.HashSizeInBytes];
        HMACSHA1.HashData(secret, counter, mac);
        var offset = mac[^1] & 0x0F;
        var value = (BinaryPrimitives.ReadInt32BigEndian(mac[offset..]) & 0x7FFFFFFF) % 1_000_000;
        return value.ToString("D6", System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// The step at which <paramref name="code"/> is valid, searching <paramref name="window"/> steps either side of
    /// <paramref name="at"/> (clock drift of the phone), or <see langword="null"/>. Compared in constant time.
    /// </summary>
    public static long? Match(ReadOnlySpan<byte> secret, string code, DateTimeOffset at, int window = 1)
    {
        var typed = Normalize(code);
        if (typed.Length != Digits)
        {
            return null;
        }

        var now = StepOf(at);
        long? found = null;
        for (var step = now - window; step <= now + window; step++)
        {
            var expected = Compute(secret, step);
            if (CryptographicOperations.FixedTimeEquals(System.Text.Encoding.ASCII.GetBytes(expected), System.Text.Encoding.ASCII.GetBytes(typed)))
            {
                found ??= step;
            }
        }

        return found;
    }

    /// <summary>The code as typed without spaces or dashes ("123 456" is accepted).</summary>
    public static string Normalize(string? code) =>
        new((code ?? string.Empty).Where(c => c is not (' ' or '-')).ToArray());
}
