namespace Spbe.Security.Pki;

/// <summary>Stable codes of the PKI capability, cited by runbooks/pki.md and used as log event ids (4000 + number).</summary>
public static class PkiErrors
{
    /// <summary>The CA hierarchy has not been created yet (<c>spbe pki init</c>).</summary>
    public const string NotInitialized = "PKI-0001";

    /// <summary>The certificate request is not a well-formed PKCS#10 request (DER or PEM).</summary>
    public const string CsrMalformed = "PKI-0002";

    /// <summary>The certificate request's signature does not verify with the key it carries (no proof of possession).</summary>
    public const string CsrSignatureInvalid = "PKI-0003";

    /// <summary>The request body is larger than the endpoint accepts.</summary>
    public const string TooLarge = "PKI-0004";

    /// <summary>The key type or size is not allowed by the profile (e.g. RSA-2048, a curve other than P-256/P-384).</summary>
    public const string KeyNotAllowed = "PKI-0005";

    /// <summary>No certificate profile with that name in policies/pki/profiles.</summary>
    public const string UnknownProfile = "PKI-0006";

    /// <summary>The request's subject names someone other than the official it is issued to.</summary>
    public const string SubjectMismatch = "PKI-0007";

    /// <summary>No certificate with that serial number.</summary>
    public const string UnknownCertificate = "PKI-0008";

    /// <summary>The certificate's state does not allow that (revoking twice, releasing a certificate not on hold).</summary>
    public const string InvalidTransition = "PKI-0009";

    /// <summary>Not a revocation reason this CA uses.</summary>
    public const string InvalidReason = "PKI-0010";

    /// <summary>The OCSP request is not a well-formed RFC 6960 request.</summary>
    public const string OcspMalformed = "PKI-0011";

    /// <summary>The timestamp request is not a well-formed RFC 3161 request.</summary>
    public const string TsaMalformed = "PKI-0012";

    /// <summary>The timestamp request uses a hash algorithm the TSA does not accept (SHA-256/384/512 only) or a
    /// digest of the wrong length.</summary>
    public const string TsaAlgorithmRejected = "PKI-0013";

    /// <summary>The audit ledger's hash chain is broken: an entry was altered, removed or inserted.</summary>
    public const string LedgerBroken = "PKI-0014";

    /// <summary>A CA key cannot be read from its key store (missing, damaged, or sealed under another master key).</summary>
    public const string KeyUnavailable = "PKI-0015";

    /// <summary>The subject data needed by the profile is missing or malformed (NIP, OPD, DNS name).</summary>
    public const string SubjectInvalid = "PKI-0016";

    /// <summary>A serial number is not hexadecimal or longer than 20 octets.</summary>
    public const string SerialInvalid = "PKI-0017";

    /// <summary>A certificate request (registration) with that id does not exist or is not pending.</summary>
    public const string UnknownRequest = "PKI-0018";

    /// <summary>The PKCS#11 token cannot be opened or has no key with that label.</summary>
    public const string TokenUnavailable = "PKI-0019";

    /// <summary>A pki-officer tried to approve a request for their own certificate (separation of duties).</summary>
    public const string SelfApproval = "PKI-0020";

    /// <summary>The signer key is locked after too many wrong passphrases; a pki-officer must re-key.</summary>
    public const string SignerKeyLocked = "PKI-0021";

    /// <summary>The passphrase does not open the signer key (the attempt is counted).</summary>
    public const string WrongPassphrase = "PKI-0022";

    /// <summary>The passphrase for a server-generated key is too short (at least 12 characters).</summary>
    public const string PassphraseTooWeak = "PKI-0023";
}
