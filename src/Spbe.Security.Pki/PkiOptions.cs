using System.ComponentModel.DataAnnotations;
using Spbe.Security.Pki.Keys;

namespace Spbe.Security.Pki;

/// <summary>Settings of the certificate authority. Bound from the <c>Pki</c> configuration section.</summary>
public sealed class PkiOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "Pki";

    /// <summary>Where CA private keys live.</summary>
    /// <value>The default value is <see cref="KeyStoreKind.File"/> (sealed under the master key in the data directory).</value>
    public KeyStoreKind KeyStore { get; set; } = PkiDefaults.KeyStore;

    /// <summary>The PKCS#11 module (e.g. <c>/usr/lib/softhsm/libsofthsm2.so</c>). Required with <see cref="KeyStoreKind.Pkcs11"/>.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? Pkcs11ModulePath { get; set; }

    /// <summary>The label of the PKCS#11 token holding the CA keys. Required with <see cref="KeyStoreKind.Pkcs11"/>.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? Pkcs11TokenLabel { get; set; }

    /// <summary>The environment variable holding the token's user PIN (the PIN itself never sits in configuration files).</summary>
    /// <value>The default value is <c>SPBE_PKCS11_PIN</c>.</value>
    [Required(AllowEmptyStrings = false)]
    [RegularExpression("^[A-Za-z_][A-Za-z0-9_]*$", ErrorMessage = "Pki:Pkcs11PinVariable must be an environment variable name.")]
    public string Pkcs11PinVariable { get; set; } = PkiDefaults.Pkcs11PinVariable;

    /// <summary>The key algorithm of new CA keys: <c>ecdsa-p256</c>, <c>ecdsa-p384</c>, <c>rsa-3072</c> or <c>rsa-4096</c>.</summary>
    /// <value>The default value is <c>ecdsa-p384</c>.</value>
    [Required(AllowEmptyStrings = false)]
    [AllowedValues("ecdsa-p256", "ecdsa-p384", "rsa-3072", "rsa-4096", ErrorMessage = "Pki:CaKeyAlgorithm must be one of ecdsa-p256, ecdsa-p384, rsa-3072, rsa-4096.")]
    public string CaKeyAlgorithm { get; set; } = PkiDefaults.CaKeyAlgorithm;
}
