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

    private IHost Build(string algorithm = "ES256")
    {
        var builder = TestHosts.CreateBuilder(_temp.Combine("data"), settings: [new("Sso:SigningAlgorithm", algorithm)]);
        builder.AddSpbeIdentity();
        return builder.Build();
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
