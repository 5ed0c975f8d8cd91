namespace Spbe.Security.Pki.Persistence;

/// <summary>Per-CA counters that must survive restarts and be shared by every process on the data.</summary>
internal sealed class CaStateRecord
{
    /// <summary>The CA's name.</summary>
    public string Name { get; set; } = string.Empty;

    /// <summary>The number of the last CRL issued (full or delta share one sequence, RFC 5280 5.2.3).</summary>
    public long CrlNumber { get; set; }

    /// <summary>The number of the last full CRL (the base of the deltas after it).</summary>
    public long BaseCrlNumber { get; set; }

    /// <summary>When the last full CRL was issued (Unix milliseconds).</summary>
    public long BaseCrlAt { get; set; }

    public int Version { get; set; }
}
