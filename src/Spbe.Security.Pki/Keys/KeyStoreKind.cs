namespace Spbe.Security.Pki.Keys;

/// <summary>Where CA private keys are kept.</summary>
public enum KeyStoreKind
{
    /// <summary>Encrypted key files (AES-GCM under the master key) in the data directory.</summary>
    File,

    /// <summary>A PKCS#11 token (an HSM; SoftHSM2 in tests): keys never leave it.</summary>
    Pkcs11,
}
