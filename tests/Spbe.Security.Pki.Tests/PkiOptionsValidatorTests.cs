using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Spbe.Security.Pki.Keys;
using Spbe.Security.Testing;

namespace Spbe.Security.Pki;

public sealed class PkiOptionsValidatorTests
{
    private static IHost Build(params KeyValuePair<string, string?>[] settings)
    {
        var builder = TestHosts.CreateBuilder("/nonexistent/data", settings: settings);
        builder.AddSpbePki();
        builder.AddSpbePki();
        return builder.Build();
    }

    [Fact]
    public void Defaults_are_valid()
    {
        using var host = Build();

        var options = host.Services.GetRequiredService<IOptions<PkiOptions>>().Value;

        Assert.Equal(KeyStoreKind.File, options.KeyStore);
        Assert.Equal("ecdsa-p384", options.CaKeyAlgorithm);
    }

    [Fact]
    public void Invalid_options_are_reported_all_at_once()
    {
        using var host = Build(
            new("Pki:KeyStore", "Pkcs11"),
            new("Pki:Pkcs11ModulePath", "/nonexistent/libsofthsm2.so"),
            new("Pki:CaKeyAlgorithm", "rsa-1024"),
            new("Pki:Pkcs11PinVariable", "not a name"));

        var error = Assert.Throws<OptionsValidationException>(() => host.Services.GetRequiredService<IOptions<PkiOptions>>().Value);

        Assert.Equal(
            [
                "Pkcs11PinVariable: Pki:Pkcs11PinVariable must be an environment variable name.",
                "CaKeyAlgorithm: Pki:CaKeyAlgorithm must be one of ecdsa-p256, ecdsa-p384, rsa-3072, rsa-4096.",
                "Pki:Pkcs11ModulePath '/nonexistent/libsofthsm2.so' does not exist.",
                "Pki:Pkcs11TokenLabel is required when Pki:KeyStore is Pkcs11.",
            ],
            error.Failures);
    }

    [Fact]
    public void Pkcs11_needs_a_module_and_a_token()
    {
        var result = new PkiOptionsValidator().Validate(null, new PkiOptions { KeyStore = KeyStoreKind.Pkcs11 });

        Assert.Equal(
            ["Pki:Pkcs11ModulePath is required when Pki:KeyStore is Pkcs11.", "Pki:Pkcs11TokenLabel is required when Pki:KeyStore is Pkcs11."],
            result.Failures);
    }

    [Fact]
    public void Registering_twice_adds_each_validator_once()
    {
        using var host = Build();

        Assert.Equal(2, host.Services.GetServices<IValidateOptions<PkiOptions>>().Count());
    }
}
