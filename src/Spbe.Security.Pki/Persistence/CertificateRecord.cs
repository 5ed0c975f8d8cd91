namespace Spbe.Security.Pki.Persistence;

/// <summary>The state of an issued certificate, as CRLs and OCSP report it.</summary>
public enum CertificateState
{
    /// <summary>Valid (until it expires).</summary>
    Good = 0,

    /// <summary>Revoked for good.</summary>
    Revoked = 1,

    /// <summary>Suspended (reason certificateHold): revoked until released.</summary>
    OnHold = 2,
}

/// <summary>One certificate the CA issued. Times are Unix milliseconds (UTC) so that both engines order them.</summary>
internal sealed class CertificateRecord
{
    /// <summary>The serial number: lower-case hex, no leading zeros.</summary>
    public string Serial { get; set; } = string.Empty;

    /// <summary>The issuing CA's name (<c>root</c> or <c>issuing</c>).</summary>
    public string Ca { get; set; } = string.Empty;

    public string Profile { get; set; } = string.Empty;

    /// <summary>The subject DN as RFC 4514 text.</summary>
    public string Subject { get; set; } = string.Empty;

    public string? Nip { get; set; }

    public string? Opd { get; set; }

    public long NotBefore { get; set; }

    public long NotAfter { get; set; }

    public long IssuedAt { get; set; }

    public CertificateState State { get; set; }

    public long? RevokedAt { get; set; }

    /// <summary>When the status last changed (suspended, revoked, released): delta CRLs list every change after their base.</summary>
    public long? StatusChangedAt { get; set; }

    /// <summary>When a hold was released (the certificate is good again; delta CRLs say removeFromCRL).</summary>
    public long? ReleasedAt { get; set; }

    /// <summary>The RFC 5280 CRLReason code.</summary>
    public int? Reason { get; set; }

    /// <summary>The certificate, DER.</summary>
    public byte[] Der { get; set; } = [];

    /// <summary>SHA-256 of <see cref="Der"/>, lower-case hex.</summary>
    public string Thumbprint { get; set; } = string.Empty;

    /// <summary>The registration request it was issued for, if any.</summary>
    public Guid? RequestId { get; set; }

    /// <summary>Bumped on every change; a concurrent change fails instead of being lost.</summary>
    public int Version { get; set; }
}
