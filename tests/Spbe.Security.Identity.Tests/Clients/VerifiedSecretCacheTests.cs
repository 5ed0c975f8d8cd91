using Microsoft.Extensions.Time.Testing;

namespace Spbe.Security.Identity.Clients;

public sealed class VerifiedSecretCacheTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void A_remembered_verification_matches_only_the_same_secret_and_hash_until_it_expires()
    {
        var cache = new VerifiedSecretCache(_time);
        cache.Remember("rahasia-yang-benar", "AQAAAAEAACcQ-hash-1");

        Assert.True(cache.IsKnownGood("rahasia-yang-benar", "AQAAAAEAACcQ-hash-1"));
        Assert.False(cache.IsKnownGood("rahasia-yang-salah", "AQAAAAEAACcQ-hash-1"));
        Assert.False(cache.IsKnownGood("rahasia-yang-benar", "AQAAAAEAACcQ-hash-2-after-rotation"));

        _time.Advance(VerifiedSecretCache.Lifetime + TimeSpan.FromSeconds(1));
        Assert.False(cache.IsKnownGood("rahasia-yang-benar", "AQAAAAEAACcQ-hash-1"));
    }

    [Fact]
    public void Another_instance_cannot_match_these_fingerprints()
    {
        var a = new VerifiedSecretCache(_time);
        var b = new VerifiedSecretCache(_time);
        a.Remember("s", "h");

        Assert.False(b.IsKnownGood("s", "h"));
    }

    [Fact]
    public void The_cache_stays_bounded()
    {
        var cache = new VerifiedSecretCache(_time);
        for (var i = 0; i <= VerifiedSecretCache.Capacity; i++)
        {
            cache.Remember("secret-" + i, "hash");
        }

        Assert.True(cache.IsKnownGood("secret-" + VerifiedSecretCache.Capacity, "hash"));
        Assert.False(cache.IsKnownGood("secret-0", "hash"));
    }
}
