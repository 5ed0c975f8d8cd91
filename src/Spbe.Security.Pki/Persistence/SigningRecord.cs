namespace Spbe.Security.Pki.Persistence;

/// <summary>
/// One signing attempt: a signature made (with the hashes of the document before and after, never its content) or a
/// refusal (with its code). The verification page finds a document's record by the id in its QR code; DISKOMINFO's
/// monitoring counts these per OPD, signer and month.
/// </summary>
public sealed class SigningRecord
{
    /// <summary>The record's id.</summary>
    public Guid Id { get; set; }

    /// <summary>The document id printed in the QR code (signed documents only).</summary>
    public Guid? DocumentId { get; set; }

    /// <summary>The official.</summary>
    public string Nip { get; set; } = string.Empty;

    /// <summary>The official's OPD (from the certificate), when known.</summary>
    public string? Opd { get; set; }

    /// <summary>The signer's name (from the certificate), when known.</summary>
    public string? SignerName { get; set; }

    /// <summary>The jabatan (from the certificate), when known.</summary>
    public string? Jabatan { get; set; }

    /// <summary>The certificate used, when one was found.</summary>
    public string? Serial { get; set; }

    /// <summary>When (Unix milliseconds).</summary>
    public long At { get; set; }

    /// <summary><c>signed</c>, or the refusal's stable code (e.g. PKI-0022).</summary>
    public string Outcome { get; set; } = string.Empty;

    /// <summary>The PAdES level (B-B, B-T, B-LT, B-LTA) of a signature.</summary>
    public string? Level { get; set; }

    /// <summary>Whether the signature is visible (a stamp) or a paraf.</summary>
    public bool Visible { get; set; }

    /// <summary>SHA-256 of the document as given (hex).</summary>
    public string? InputSha256 { get; set; }

    /// <summary>SHA-256 of the signed document (hex).</summary>
    public string? OutputSha256 { get; set; }
}
