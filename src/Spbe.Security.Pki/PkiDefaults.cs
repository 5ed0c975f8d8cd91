using Spbe.Security.Pki.Keys;

namespace Spbe.Security.Pki;

/// <summary>Default values of <see cref="PkiOptions"/>.</summary>
public static class PkiDefaults
{
    /// <summary>CA keys sealed in files under the master key.</summary>
    public const KeyStoreKind KeyStore = KeyStoreKind.File;

    /// <summary>The environment variable for the PKCS#11 user PIN.</summary>
    public const string Pkcs11PinVariable = "SPBE_PKCS11_PIN";

    /// <summary>ECDSA on P-384 for CA keys: long-lived keys get the larger curve.</summary>
    public const string CaKeyAlgorithm = "ecdsa-p384";
}
