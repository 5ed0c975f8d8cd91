namespace Spbe.Security.Pki.Signing;

/// <summary>Stable codes of the electronic-signature (TTE) capability, cited by runbooks/tte.md and used as log event
/// ids (4500 + number).</summary>
public static class SigningErrors
{
    /// <summary>The document is not a PDF whose structure can be read (damaged cross-reference table, truncated, loops).</summary>
    public const string DocumentUnreadable = "TTE-0001";

    /// <summary>The document is encrypted; it cannot be signed without rewriting it (open it and save it unencrypted).</summary>
    public const string DocumentEncrypted = "TTE-0002";

    /// <summary>The document is larger than accepted.</summary>
    public const string DocumentTooLarge = "TTE-0003";

    /// <summary>The official has no valid signing certificate with a key held for them (enrol with <c>spbe pki enroll</c>).</summary>
    public const string NoSigningCertificate = "TTE-0004";

    /// <summary>The anchor text (e.g. <c>#ttd#</c>) is not in the document's text; place the stamp by page and coordinates.</summary>
    public const string AnchorNotFound = "TTE-0005";

    /// <summary>The page or rectangle for the stamp is outside the document.</summary>
    public const string PlacementInvalid = "TTE-0006";
}
