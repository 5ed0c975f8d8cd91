using Spbe.Security.Pki.Keys;

namespace Spbe.Security.Pki.Profiles;

/// <summary>Whose certificate a profile makes, which decides the subject's shape.</summary>
public enum SubjectKind
{
    /// <summary>An official (pejabat): name, NIP, OPD and jabatan.</summary>
    Person,

    /// <summary>An OPD as an institution (electronic seal): the OPD's name and code.</summary>
    Organization,

    /// <summary>A server of an OPD application: DNS names.</summary>
    Server,

    /// <summary>A service of this CA itself (OCSP responder, timestamp authority).</summary>
    Service,
}

/// <summary>
/// A certificate profile from <c>policies/pki/profiles/{name}.yaml</c>: everything a certificate gets besides its
/// subject and public key. Validity, key types and extensions come from here, never from a request.
/// </summary>
/// <param name="Name">The profile's name, equal to its file name.</param>
/// <param name="Description">What the profile is for (shown to officials and officers).</param>
/// <param name="Subject">Whose certificates these are.</param>
/// <param name="Validity">How long a certificate is valid (cut to the issuer's own end of validity).</param>
/// <param name="KeyAlgorithms">The key types a subject key may have.</param>
/// <param name="KeyUsage">keyUsage bits by name (always critical).</param>
/// <param name="ExtendedKeyUsage">extendedKeyUsage purposes by name (empty: no extension).</param>
/// <param name="ExtendedKeyUsageCritical">Whether extendedKeyUsage is critical (required for <c>timeStamping</c>).</param>
/// <param name="OcspNoCheck">Whether to add id-pkix-ocsp-nocheck (delegated OCSP responders).</param>
/// <param name="DnsSuffixes">For server certificates: the domains every DNS name must be in (empty: any).</param>
public sealed record CertificateProfile(
    string Name,
    string Description,
    SubjectKind Subject,
    TimeSpan Validity,
    IReadOnlyList<KeyAlgorithm> KeyAlgorithms,
    IReadOnlyList<string> KeyUsage,
    IReadOnlyList<string> ExtendedKeyUsage,
    bool ExtendedKeyUsageCritical,
    bool OcspNoCheck,
    IReadOnlyList<string> DnsSuffixes)
{
    /// <summary>The profile of officials' signing certificates.</summary>
    public const string PejabatSigning = "pejabat-signing";

    /// <summary>The profile of OPD electronic seals.</summary>
    public const string OpdSeal = "opd-seal";

    /// <summary>The profile of OPD application servers.</summary>
    public const string TlsServer = "tls-server";

    /// <summary>The profile of the delegated OCSP responder.</summary>
    public const string OcspSigning = "ocsp-signing";

    /// <summary>The profile of the timestamp authority.</summary>
    public const string Tsa = "tsa";
}
