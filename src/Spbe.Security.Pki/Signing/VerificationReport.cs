namespace Spbe.Security.Pki.Signing;

/// <summary>Overall and per-signature indications, as ETSI EN 319 102-1 names them.</summary>
public static class Indications
{
    /// <summary>Every check passed.</summary>
    public const string Passed = "TOTAL-PASSED";

    /// <summary>A check failed for good (altered, revoked before signing, content changed after signing).</summary>
    public const string Failed = "TOTAL-FAILED";

    /// <summary>Not enough to decide (no chain to a trust anchor, no revocation information, unreadable).</summary>
    public const string Indeterminate = "INDETERMINATE";
}

/// <summary>Sub-indications used here (ETSI EN 319 102-1 §5.1.3), plus NO_SIGNATURE for a file without any.</summary>
public static class SubIndications
{
    /// <summary>The structure is not as PAdES/CMS requires, or cannot be read.</summary>
    public const string FormatFailure = "FORMAT_FAILURE";

    /// <summary>The signed bytes do not hash to what was signed: the document was altered.</summary>
    public const string HashFailure = "HASH_FAILURE";

    /// <summary>The signature value does not verify with the signer's key.</summary>
    public const string SigCryptoFailure = "SIG_CRYPTO_FAILURE";

    /// <summary>The certificate was revoked before the time the signature is proven to exist.</summary>
    public const string Revoked = "REVOKED";

    /// <summary>The certificate is revoked and nothing proves the signature is older.</summary>
    public const string RevokedNoPoe = "REVOKED_NO_POE";

    /// <summary>No chain to a configured trust anchor.</summary>
    public const string NoCertificateChainFound = "NO_CERTIFICATE_CHAIN_FOUND";

    /// <summary>The certificate was not valid at the validation time and nothing proves an earlier time.</summary>
    public const string OutOfBoundsNoPoe = "OUT_OF_BOUNDS_NO_POE";

    /// <summary>No revocation information yet.</summary>
    public const string TryLater = "TRY_LATER";

    /// <summary>The document's content was changed after signing (a shadow attack).</summary>
    public const string SigConstraintsFailure = "SIG_CONSTRAINTS_FAILURE";

    /// <summary>The file has no signature.</summary>
    public const string NoSignature = "NO_SIGNATURE";
}

/// <summary>Who signed, from the certificate's subject (our profiles: CN name, serialNumber NIP, title jabatan, OU OPD).</summary>
public sealed record SignerIdentity(string? Name, string? Nip, string? Jabatan, string? Opd, string? Organization)
{
    /// <summary>Reads the identity from a certificate's subject.</summary>
    internal static SignerIdentity Of(System.Security.Cryptography.X509Certificates.X509Certificate2 certificate)
    {
        string? Attribute(string oid) => certificate.SubjectName.EnumerateRelativeDistinguishedNames()
            .Where(r => r.GetSingleElementType().Value == oid).Select(r => r.GetSingleElementValue()).FirstOrDefault();
        return new SignerIdentity(Attribute("2.5.4.3"), Attribute("2.5.4.5"), Attribute("2.5.4.12"), Attribute("2.5.4.11"), Attribute("2.5.4.10"));
    }
}

/// <summary>The validation of one signature or document timestamp.</summary>
/// <param name="Index">1-based, in file order.</param>
/// <param name="Field">The signature field's name.</param>
/// <param name="Kind"><c>signature</c> or <c>document-timestamp</c>.</param>
/// <param name="Indication">TOTAL-PASSED, TOTAL-FAILED or INDETERMINATE.</param>
/// <param name="SubIndication">Why, when not passed.</param>
/// <param name="Intact">Whether the signed bytes hash to what the signature signed and the signature verifies.</param>
/// <param name="Coverage"><c>whole-document</c>, <c>later-updates-allowed</c> (only signatures, forms and validation data
/// were added after it) or <c>modified-after-signing</c> (content changed: a shadow attack).</param>
/// <param name="Signer">The signer's identity.</param>
/// <param name="CertificateSerial">The signer certificate's serial (hex).</param>
/// <param name="Issuer">The signer certificate's issuer.</param>
/// <param name="ClaimedSigningTime">/M, as the signer claims it.</param>
/// <param name="TimestampTime">The time a valid timestamp proves the signature existed at.</param>
/// <param name="ChainTrusted">Whether the certificate chains to a configured trust anchor at that time.</param>
/// <param name="Revocation"><c>good</c>, <c>revoked</c>, <c>on-hold</c>, <c>unknown</c> (no information) — at signing time.</param>
/// <param name="RevocationSource"><c>embedded-ocsp</c>, <c>embedded-crl</c>, <c>issuing-ca</c> (our CA's own records) or null.</param>
/// <param name="Level">The PAdES level reached (B-B, B-T, B-LT, B-LTA) or null.</param>
/// <param name="Notes">Details, one line each.</param>
public sealed record SignatureReport(int Index, string Field, string Kind, string Indication, string? SubIndication, bool Intact, string Coverage,
    SignerIdentity? Signer, string? CertificateSerial, string? Issuer, DateTimeOffset? ClaimedSigningTime, DateTimeOffset? TimestampTime,
    bool ChainTrusted, string Revocation, string? RevocationSource, string? Level, IReadOnlyList<string> Notes);

/// <summary>The validation of a whole document.</summary>
/// <param name="Indication">TOTAL-PASSED only when every signature passed; TOTAL-FAILED when any failed; else INDETERMINATE.</param>
/// <param name="SubIndication">The first failing signature's sub-indication, or NO_SIGNATURE / FORMAT_FAILURE for the file.</param>
/// <param name="DocumentSha256">The SHA-256 of the file as given (hex).</param>
/// <param name="Signatures">Per signature, in file order.</param>
/// <param name="Error">What made the file unreadable, when it is.</param>
public sealed record VerificationReport(string Indication, string? SubIndication, string DocumentSha256, IReadOnlyList<SignatureReport> Signatures, string? Error)
{
    /// <summary>What a <c>tte-verify</c> security event says of this report: the document's hash, how many signatures,
    /// and the sub-indication (never the document's content or the signers' names).</summary>
    public string EventReason() => $"sha256={DocumentSha256} signatures={Signatures.Count} {SubIndication}".TrimEnd();
}
