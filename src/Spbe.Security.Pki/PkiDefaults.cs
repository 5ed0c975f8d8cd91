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

    /// <summary>The organisation in CA and subject names.</summary>
    public const string Organization = "Pemerintah Kota";

    /// <summary>The plain-HTTP listener of the host on its default port.</summary>
    public const string PublicBaseUrl = "http://127.0.0.1:8080/";

    /// <summary>A dotted OID.</summary>
    public const string OidPattern = "^[0-2](\\.(0|[1-9][0-9]*)){1,40}$";

    /// <summary>The default certificate policy: an OID under the UUID arc (2.25, ITU-T X.667), unique without
    /// registration. A production CA sets its registered policy OID.</summary>
    public const string CertificatePolicyOid = "2.25.246836021437190372883364640218546733409.1";

    /// <summary>The default TSA policy, under the same UUID arc.</summary>
    public const string TsaPolicyOid = "2.25.246836021437190372883364640218546733409.2";

    /// <summary>One second.</summary>
    public static readonly TimeSpan TsaAccuracy = TimeSpan.FromSeconds(1);

    /// <summary>One day.</summary>
    public static readonly TimeSpan OcspValidity = TimeSpan.FromDays(1);

    /// <summary>One day.</summary>
    public static readonly TimeSpan CrlValidity = TimeSpan.FromDays(1);

    /// <summary>One hour.</summary>
    public static readonly TimeSpan DeltaCrlValidity = TimeSpan.FromHours(1);

    /// <summary>Twenty years.</summary>
    public static readonly TimeSpan RootValidity = TimeSpan.FromDays(7305);

    /// <summary>Ten years.</summary>
    public static readonly TimeSpan IssuingValidity = TimeSpan.FromDays(3652);

    /// <summary>How long a finished naskah stays downloadable.</summary>
    public static readonly TimeSpan SignedDocumentHold = TimeSpan.FromDays(7);
}
