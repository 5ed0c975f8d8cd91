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

    /// <summary>The organisation in CA and subject names (O), e.g. <c>Pemerintah Kota Contoh</c>.</summary>
    /// <value>The default value is <c>Pemerintah Kota</c>.</value>
    [Required(AllowEmptyStrings = false)]
    [StringLength(64, MinimumLength = 2)]
    public string Organization { get; set; } = PkiDefaults.Organization;

    /// <summary>Where relying parties fetch CA certificates, CRLs and OCSP answers: written into every certificate
    /// (CRL distribution point, authority information access), so plain <c>http</c> as RFC 5280 expects.</summary>
    /// <value>The default value is <c>http://127.0.0.1:8080/</c>.</value>
    [Required]
    public Uri PublicBaseUrl { get; set; } = new(PkiDefaults.PublicBaseUrl);

    /// <summary>The certificate policy OID put into issued certificates.</summary>
    /// <value>The default value is <see cref="PkiDefaults.CertificatePolicyOid"/>.</value>
    [Required(AllowEmptyStrings = false)]
    [RegularExpression(PkiDefaults.OidPattern, ErrorMessage = "Pki:CertificatePolicyOid must be a dotted OID.")]
    public string CertificatePolicyOid { get; set; } = PkiDefaults.CertificatePolicyOid;

    /// <summary>The TSA policy OID (RFC 3161 <c>policy</c>) of timestamps.</summary>
    /// <value>The default value is <see cref="PkiDefaults.TsaPolicyOid"/>.</value>
    [Required(AllowEmptyStrings = false)]
    [RegularExpression(PkiDefaults.OidPattern, ErrorMessage = "Pki:TsaPolicyOid must be a dotted OID.")]
    public string TsaPolicyOid { get; set; } = PkiDefaults.TsaPolicyOid;

    /// <summary>The accuracy a timestamp claims (RFC 3161 <c>accuracy</c>).</summary>
    /// <value>The default value is 1 second.</value>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:01:00")]
    public TimeSpan TsaAccuracy { get; set; } = PkiDefaults.TsaAccuracy;

    /// <summary>How long an OCSP answer is valid (<c>nextUpdate</c>); cached answers are re-signed at half of it.</summary>
    /// <value>The default value is 1 day.</value>
    [Range(typeof(TimeSpan), "00:05:00", "7.00:00:00")]
    public TimeSpan OcspValidity { get; set; } = PkiDefaults.OcspValidity;

    /// <summary>How long a full CRL of the issuing CA is valid; a new one is issued on every revocation and at half of this.</summary>
    /// <value>The default value is 1 day.</value>
    [Range(typeof(TimeSpan), "01:00:00", "30.00:00:00")]
    public TimeSpan CrlValidity { get; set; } = PkiDefaults.CrlValidity;

    /// <summary>How long a delta CRL is valid.</summary>
    /// <value>The default value is 1 hour.</value>
    [Range(typeof(TimeSpan), "00:05:00", "1.00:00:00")]
    public TimeSpan DeltaCrlValidity { get; set; } = PkiDefaults.DeltaCrlValidity;

    /// <summary>Validity of the root CA certificate.</summary>
    /// <value>The default value is 20 years (7305 days).</value>
    [Range(typeof(TimeSpan), "365.00:00:00", "10958.00:00:00")]
    public TimeSpan RootValidity { get; set; } = PkiDefaults.RootValidity;

    /// <summary>Validity of the issuing CA certificate (cut to the root's).</summary>
    /// <value>The default value is 10 years (3652 days).</value>
    [Range(typeof(TimeSpan), "365.00:00:00", "10958.00:00:00")]
    public TimeSpan IssuingValidity { get; set; } = PkiDefaults.IssuingValidity;

    /// <summary>Whether a naskah dinas is kept after it is sealed. By default only its hashes and signature metadata are:
    /// the content goes once the download window has passed.</summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool KeepSignedDocuments { get; set; }

    /// <summary>How long a sealed (or returned) naskah stays downloadable before its content is purged.</summary>
    /// <value>The default value is 7 days.</value>
    [Range(typeof(TimeSpan), "00:10:00", "90.00:00:00")]
    public TimeSpan SignedDocumentHold { get; set; } = PkiDefaults.SignedDocumentHold;

    /// <summary>Further trust anchors for verification (PEM or DER certificate files, e.g. another government CA whose
    /// signed documents the city accepts), read when first needed: a restart picks up changes. Our own root is always an
    /// anchor.</summary>
    public IList<string> TrustAnchorFiles { get; } = [];
}
