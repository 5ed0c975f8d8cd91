namespace Spbe.Security.Pki.Authority;

/// <summary>The RFC 5280 CRLReason codes this CA uses for end-entity certificates.</summary>
public enum RevocationReason
{
    /// <summary>No reason given (left out of CRL entries, as RFC 5280 asks).</summary>
    Unspecified = 0,

    /// <summary>The private key is (suspected to be) known to someone else.</summary>
    KeyCompromise = 1,

    /// <summary>The subject's name or affiliation changed (e.g. the official moved to another OPD).</summary>
    AffiliationChanged = 3,

    /// <summary>Replaced by a new certificate (renewal, re-key).</summary>
    Superseded = 4,

    /// <summary>No longer needed (the official retired, the application was shut down).</summary>
    CessationOfOperation = 5,

    /// <summary>Suspended: revoked until released.</summary>
    CertificateHold = 6,

    /// <summary>The right to hold the certificate was withdrawn.</summary>
    PrivilegeWithdrawn = 9,
}

/// <summary>Reason names as the CLI and the API take them (RFC 5280 spelling).</summary>
public static class RevocationReasons
{
    /// <summary>Parses <c>keyCompromise</c>, <c>affiliationChanged</c>, … (case-insensitive).</summary>
    public static bool TryParse(string? text, out RevocationReason reason)
    {
        reason = default;
        return !string.IsNullOrWhiteSpace(text) && !int.TryParse(text, out _)
            && Enum.TryParse(text.Trim(), ignoreCase: true, out reason) && Enum.IsDefined(reason);
    }

    /// <summary>The RFC 5280 name, e.g. <c>keyCompromise</c>.</summary>
    public static string Name(RevocationReason reason) => reason.ToString() is { } name ? char.ToLowerInvariant(name[0]) + name[1..] : string.Empty;

    /// <summary>Every name, for messages.</summary>
    public static string AllNames => string.Join(", ", Enum.GetValues<RevocationReason>().Select(Name));
}
