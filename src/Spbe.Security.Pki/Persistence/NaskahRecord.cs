namespace Spbe.Security.Pki.Persistence;

/// <summary>
/// One naskah dinas on its way from the drafter through the reviewers' paraf to the pejabat's signature. The working
/// copy is held sealed under the master key only while the workflow needs it (and for a short download window after
/// sealing, unless the city keeps signed documents); the hashes stay for good.
/// </summary>
public sealed class NaskahRecord
{
    /// <summary>The document's id.</summary>
    public Guid Id { get; set; }

    /// <summary>The subject line (perihal).</summary>
    public string Title { get; set; } = string.Empty;

    /// <summary>The drafter's OPD.</summary>
    public string Opd { get; set; } = string.Empty;

    /// <summary>The drafter (konseptor).</summary>
    public string DrafterNip { get; set; } = string.Empty;

    /// <summary>When it was uploaded (Unix milliseconds).</summary>
    public long CreatedAt { get; set; }

    /// <summary>When it last changed (Unix milliseconds).</summary>
    public long UpdatedAt { get; set; }

    /// <summary>Where the workflow stands.</summary>
    public Signing.Naskah.NaskahState State { get; set; }

    /// <summary>The text the final stamp goes on (e.g. <c>#ttd#</c>), or null for a stamp at the foot of the last page.</summary>
    public string? Anchor { get; set; }

    /// <summary>SHA-256 of the uploaded document (hex).</summary>
    public string OriginalSha256 { get; set; } = string.Empty;

    /// <summary>SHA-256 of the current version (hex).</summary>
    public string Sha256 { get; set; } = string.Empty;

    /// <summary>The current version, sealed under the master key; null once purged.</summary>
    public byte[]? Content { get; set; }

    /// <summary>When the held content is purged (Unix milliseconds), once the document is finished.</summary>
    public long? PurgeAt { get; set; }

    /// <summary>Optimistic concurrency: two approvals of the same step cannot both land.</summary>
    public int Version { get; set; }
}

/// <summary>One step of a naskah's workflow: a reviewer's paraf or the pejabat's signature.</summary>
public sealed class NaskahStepRecord
{
    /// <summary>The step's id.</summary>
    public Guid Id { get; set; }

    /// <summary>The naskah.</summary>
    public Guid NaskahId { get; set; }

    /// <summary>Its place in the order (0 first).</summary>
    public int Position { get; set; }

    /// <summary>Who acts.</summary>
    public string Nip { get; set; } = string.Empty;

    /// <summary>Their name (from their certificate when the workflow was created).</summary>
    public string? Name { get; set; }

    /// <summary>Their jabatan (from their certificate).</summary>
    public string? Jabatan { get; set; }

    /// <summary>Paraf or signature.</summary>
    public Signing.Naskah.NaskahStepKind Kind { get; set; }

    /// <summary>Pending, done or returned.</summary>
    public Signing.Naskah.NaskahStepState State { get; set; }

    /// <summary>When it was done or returned (Unix milliseconds).</summary>
    public long? At { get; set; }

    /// <summary>The signing record's document id (the id in that signature's QR code).</summary>
    public Guid? SignatureId { get; set; }

    /// <summary>A reviewer's reason for returning the draft.</summary>
    public string? Note { get; set; }
}
