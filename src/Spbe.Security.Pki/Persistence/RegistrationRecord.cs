namespace Spbe.Security.Pki.Persistence;

/// <summary>The stages of a certificate request in the registration-authority workflow.</summary>
public enum RegistrationState
{
    /// <summary>Waiting for a pki-officer.</summary>
    Pending = 0,

    /// <summary>Approved and issued.</summary>
    Issued = 1,

    /// <summary>Rejected by a pki-officer.</summary>
    Rejected = 2,

    /// <summary>Claimed by an approving officer while the certificate is issued (no second approval, no rejection).</summary>
    Approving = 3,
}

/// <summary>An official's certificate request (CSR upload or server-side key), waiting for a pki-officer.</summary>
internal sealed class RegistrationRecord
{
    public Guid Id { get; set; }

    public string Profile { get; set; } = string.Empty;

    /// <summary>The subject's NIP (person) or OPD code (organization).</summary>
    public string SubjectId { get; set; } = string.Empty;

    public string Opd { get; set; } = string.Empty;

    /// <summary>The subject's data as JSON (name, jabatan, e-mail, DNS names), as known when requested.</summary>
    public string SubjectJson { get; set; } = "{}";

    /// <summary>The CSR (DER), or null when the server generates the key.</summary>
    public byte[]? Csr { get; set; }

    /// <summary>Whether the server generated the key (kept wrapped under the official's passphrase in
    /// <see cref="SignerKeyRecord"/>) instead of a CSR being uploaded.</summary>
    public bool ServerKey { get; set; }

    public RegistrationState State { get; set; }

    public string RequestedBy { get; set; } = string.Empty;

    public long RequestedAt { get; set; }

    public string? DecidedBy { get; set; }

    public long? DecidedAt { get; set; }

    public string? Note { get; set; }

    public string? Serial { get; set; }

    /// <summary>The certificate this request renews (same key) or re-keys (new key); superseded once issued.</summary>
    public string? Replaces { get; set; }

    public int Version { get; set; }
}
