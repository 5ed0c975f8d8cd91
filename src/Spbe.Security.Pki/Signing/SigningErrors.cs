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

    /// <summary>No such naskah, or the official takes no part in it (the two are not told apart).</summary>
    public const string NaskahNotFound = "TTE-0007";

    /// <summary>The naskah is not waiting for this official: an earlier reviewer has not yet given their paraf, or it is finished.</summary>
    public const string NotYourTurn = "TTE-0008";

    /// <summary>The workflow cannot be set up: a title, a readable PDF and participants who hold signing certificates are needed.</summary>
    public const string WorkflowInvalid = "TTE-0009";

    /// <summary>Someone else acted on the naskah at the same moment; reload and try again.</summary>
    public const string WorkflowConflict = "TTE-0010";

    /// <summary>The naskah's content is no longer held (finished and past its download window); only its hashes remain.</summary>
    public const string ContentPurged = "TTE-0011";

    /// <summary>Signing needs a sign-in with a second factor within the last ten minutes; sign in again with the authenticator or passkey.</summary>
    public const string SessionNotFresh = "TTE-0012";
}
