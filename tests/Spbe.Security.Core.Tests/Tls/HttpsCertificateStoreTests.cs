using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Spbe.Security.Data;
using Spbe.Security.Keys;
using Spbe.Security.Testing;

namespace Spbe.Security.Tls;

public sealed class HttpsCertificateStoreTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 23, 0, 0, 0, TimeSpan.Zero));
    private readonly MasterKeyProvider _keys;
    private readonly HttpsCertificateStore _store;

    public HttpsCertificateStoreTests()
    {
        var data = new DataDirectory(_temp.Path);
        _keys = new MasterKeyProvider(Options.Create(new SpbeOptions()), data);
        _keys.LoadOrCreate(mayGenerate: true, out _);
        _store = new HttpsCertificateStore(data, _keys, _time);
    }

    public void Dispose()
    {
        _keys.Dispose();
        _temp.Dispose();
    }

    [Fact]
    public void Creates_a_localhost_server_certificate_whose_key_is_sealed()
    {
        Assert.NotNull(_store.EnsureCreated());

        using var certificate = _store.Load();
        Assert.True(certificate.HasPrivateKey);
        Assert.True(certificate.MatchesHostname("localhost"));
        Assert.True(certificate.MatchesHostname("127.0.0.1"));
        Assert.Equal(_time.GetUtcNow().AddDays(365).UtcDateTime, certificate.NotAfter.ToUniversalTime(), TimeSpan.FromSeconds(1));
        var eku = Assert.Single(certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>());
        Assert.Equal("1.3.6.1.5.5.7.3.1", Assert.Single(eku.EnhancedKeyUsages.Cast<System.Security.Cryptography.Oid>()).Value);
        Assert.DoesNotContain("PRIVATE KEY", File.ReadAllText(_store.SealedKeyFile, System.Text.Encoding.Latin1), StringComparison.Ordinal);
    }

    [Fact]
    public void Keeps_a_valid_certificate_and_renews_one_near_expiry()
    {
        _store.EnsureCreated();
        using var original = _store.Load();

        _time.Advance(TimeSpan.FromDays(300));
        Assert.Null(_store.EnsureCreated());

        _time.Advance(TimeSpan.FromDays(40));
        Assert.NotNull(_store.EnsureCreated());
        using var renewed = _store.Load();
        Assert.NotEqual(original.Thumbprint, renewed.Thumbprint);
    }

    [Fact]
    public void A_certificate_without_its_key_is_damage_not_absence()
    {
        _store.EnsureCreated();
        File.Delete(_store.SealedKeyFile);
        var before = File.ReadAllText(_store.CertificateFile);

        Assert.Equal(DataErrors.TlsCertificateCorrupt, Assert.Throws<SpbeException>(() => _store.EnsureCreated()).Code);
        Assert.Equal(before, File.ReadAllText(_store.CertificateFile));
    }

    [Fact]
    public void A_key_that_belongs_to_another_certificate_is_reported_as_damage()
    {
        _store.EnsureCreated();
        var firstKey = File.ReadAllBytes(_store.SealedKeyFile);
        _time.Advance(TimeSpan.FromDays(340));
        _store.EnsureCreated();
        File.WriteAllBytes(_store.SealedKeyFile, firstKey);

        var error = Assert.Throws<SpbeException>(() => _store.Load());

        Assert.Equal(DataErrors.TlsCertificateCorrupt, error.Code);
    }
}
