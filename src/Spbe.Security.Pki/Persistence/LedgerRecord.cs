namespace Spbe.Security.Pki.Persistence;

/// <summary>
/// One step in the PKI's append-only audit ledger. <see cref="Hash"/> is SHA-256 over the entry's fields and
/// <see cref="PreviousHash"/>, so altering, removing or inserting an entry breaks the chain from there on.
/// </summary>
internal sealed class LedgerRecord
{
    /// <summary>1, 2, 3, … without gaps.</summary>
    public long Sequence { get; set; }

    /// <summary>Unix milliseconds (UTC).</summary>
    public long At { get; set; }

    /// <summary>What happened, e.g. <c>certificate-issued</c>.</summary>
    public string Action { get; set; } = string.Empty;

    /// <summary>Who did it: a NIP, <c>cli</c> or <c>system</c>.</summary>
    public string Actor { get; set; } = string.Empty;

    /// <summary>What it concerned: a serial, a request id, a CA name.</summary>
    public string Target { get; set; } = string.Empty;

    /// <summary>Details as compact JSON.</summary>
    public string Details { get; set; } = "{}";

    public string PreviousHash { get; set; } = string.Empty;

    public string Hash { get; set; } = string.Empty;
}
