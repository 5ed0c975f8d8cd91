using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace Spbe.Security.Identity.Clients;

/// <summary>
/// Remembers, for a few minutes, that a presented client secret matched a stored hash, so that a client calling the
/// token endpoint many times a second pays the PBKDF2 cost once, not on every request. Storage stays PBKDF2.
/// </summary>
/// <remarks>
/// Only successes are cached, keyed by an HMAC (under a per-process random key) of the stored hash and the secret:
/// a wrong secret always costs the full derivation, the cache never holds a secret, and rotating a secret changes
/// the stored hash, so the old entry can no longer match.
/// </remarks>
internal sealed class VerifiedSecretCache(TimeProvider time)
{
    /// <summary>How long a verification is remembered.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);

    /// <summary>At most this many entries; beyond it the cache starts over.</summary>
    public const int Capacity = 10_000;

    private readonly byte[] _key = RandomNumberGenerator.GetBytes(32);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _verified = new(StringComparer.Ordinal);

    public bool IsKnownGood(string secret, string storedHash) =>
        _verified.TryGetValue(Fingerprint(secret, storedHash), out var expires) && expires > time.GetUtcNow();

    public void Remember(string secret, string storedHash)
    {
        if (_verified.Count >= Capacity)
        {
            _verified.Clear();
        }

        _verified[Fingerprint(secret, storedHash)] = time.GetUtcNow() + Lifetime;
    }

    private string Fingerprint(string secret, string storedHash) =>
        Convert.ToBase64String(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(storedHash + "\0" + secret)));
}
