using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.IdentityModel.Tokens;
using Spbe.Security.Data;
using Spbe.Security.Testing;

namespace Spbe.Security.Identity.Server;

public sealed class TokenKeyStoreTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private readonly Microsoft.Extensions.Time.Testing.FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 23, 8, 0, 0, TimeSpan.Zero));

    private IHost Build(string algorithm = "ES256", bool fakeTime = false)
    {
        var builder = TestHosts.CreateBuilder(_temp.Combine("data"), settings: [new("Sso:SigningAlgorithm", algorithm), new("Sso:SigningKeyRotation", "30.00:00:00")]);
        builder.AddSpbeIdentity();
        if (fakeTime)
        {
            builder.Services.AddSingleton<TimeProvider>(_time);
        }

        return builder.Build();
    }

    [Fact]
    public async Task Signing_keys_rotate_with_a_published_successor_and_a_retired_key_kept_until_its_tokens_expire()
    {
        using var host = Build(fakeTime: true);
        var keys = await InitializeAsync(host);
        var first = keys.ActiveKeyId();
        Assert.Equal(TimeSpan.FromDays(1), keys.PublishAhead);
        Assert.False(keys.Rotate());

        _time.Advance(TimeSpan.FromDays(29));
        Assert.True(keys.Rotate());
        var published = keys.SigningCredentials().Select(c => c.Key.KeyId).ToList();
        Assert.Equal(2, published.Count);
        Assert.Equal(first, published[0]);
        Assert.Equal(first, keys.ActiveKeyId());
        var second = published[1];

        _time.Advance(TimeSpan.FromDays(1));
        Assert.False(keys.Rotate());
        Assert.Equal(second, keys.ActiveKeyId());
        Assert.Equal([second, first], keys.SigningCredentials().Select(c => c.Key.KeyId));

        _time.Advance(keys.Retention - TimeSpan.FromMinutes(1));
        Assert.False(keys.Rotate());
        Assert.Contains(first, keys.SigningCredentials().Select(c => c.Key.KeyId));

        _time.Advance(TimeSpan.FromMinutes(2));
        Assert.True(keys.Rotate());
        Assert.Equal([second], keys.SigningCredentials().Select(c => c.Key.KeyId));
        Assert.Single(Directory.GetFiles(_temp.Combine("data", "keys", "oidc", "retired")));
    }

    [Fact]
    public async Task A_rotation_step_rebuilds_the_openiddict_options_so_jwks_and_signing_follow()
    {
        using var host = Build(fakeTime: true);
        var keys = await InitializeAsync(host);
        var options = host.Services.GetRequiredService<Microsoft.Extensions.Options.IOptionsMonitor<OpenIddict.Server.OpenIddictServerOptions>>();
        var rotation = host.Services.GetRequiredService<SigningKeyRotation>();
        string? state = null;
        Assert.True(rotation.RotateOnce(ref state));
        Assert.Single(options.CurrentValue.SigningCredentials);
        Assert.False(rotation.RotateOnce(ref state));

        _time.Advance(TimeSpan.FromDays(29));
        Assert.True(rotation.RotateOnce(ref state));
        Assert.Equal(2, options.CurrentValue.SigningCredentials.Count);

        var before = keys.ActiveKeyId();
        _time.Advance(TimeSpan.FromDays(1));
        Assert.True(rotation.RotateOnce(ref state));
        Assert.NotEqual(before, keys.ActiveKeyId());
        Assert.Equal(keys.ActiveKeyId(), options.CurrentValue.SigningCredentials[0].Key.KeyId);
        Assert.False(rotation.RotateOnce(ref state));
    }

    private static async Task<TokenKeyStore> InitializeAsync(IHost host)
    {
        await host.Services.GetRequiredService<DataDirectoryInitializer>().InitializeAsync();
        return host.Services.GetRequiredService<TokenKeyStore>();
    }

    [Fact]
    public async Task Keys_are_created_once_sealed_and_the_same_after_a_restart()
    {
        string kid;
        using (var host = Build())
        {
            var keys = await InitializeAsync(host);
            var signing = Assert.Single(keys.SigningCredentials());
            Assert.Equal(SecurityAlgorithms.EcdsaSha256, signing.Algorithm);
            Assert.Single(keys.EncryptionCredentials());
            kid = signing.Key.KeyId;
        }

        using (var host = Build())
        {
            var keys = await InitializeAsync(host);
            Assert.Equal(kid, Assert.Single(keys.SigningCredentials()).Key.KeyId);
            Assert.Null(await keys.CheckAsync());
        }

        foreach (var file in Directory.GetFiles(_temp.Combine("data", "keys", "oidc")))
        {
            Assert.StartsWith("SPBK", System.Text.Encoding.ASCII.GetString(File.ReadAllBytes(file), 0, 4), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Switching_to_RS256_adds_a_key_that_signs_and_keeps_the_old_one_published()
    {
        using (var host = Build())
        {
            await InitializeAsync(host);
        }

        using var rsaHost = Build("RS256");
        var keys = await InitializeAsync(rsaHost);

        var credentials = keys.SigningCredentials();
        Assert.Equal([SecurityAlgorithms.RsaSha256, SecurityAlgorithms.EcdsaSha256], credentials.Select(c => c.Algorithm));
    }

    [Fact]
    public async Task A_damaged_key_file_makes_the_store_not_ready()
    {
        using var host = Build();
        var keys = await InitializeAsync(host);
        var file = Directory.GetFiles(_temp.Combine("data", "keys", "oidc"), "sign-*.sealed").Single();
        var bytes = File.ReadAllBytes(file);
        bytes[^1] ^= 0xFF;
        File.WriteAllBytes(file, bytes);

        Assert.NotNull(await keys.CheckAsync());
    }
}
