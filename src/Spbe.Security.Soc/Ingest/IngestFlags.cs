namespace Spbe.Security.Soc.Ingest;

/// <summary>What the receiving side noticed about one event; stored with it and shown as <c>event.flags</c>.</summary>
[Flags]
public enum IngestFlags : ushort
{
    /// <summary>Nothing unusual.</summary>
    None = 0,

    /// <summary>The message was longer than <see cref="SocOptions.MaxMessageBytes"/>; only its start is kept.</summary>
    Truncated = 1 << 0,

    /// <summary>The message contains bytes that are not UTF-8; the stored text has U+FFFD in their place.</summary>
    InvalidUtf8 = 1 << 1,

    /// <summary>The message contains NUL bytes; the stored text shows them as U+2400.</summary>
    NulBytes = 1 << 2,

    /// <summary>The framing was broken (a bad octet count, or a connection that ended inside a frame).</summary>
    BrokenFraming = 1 << 3,

    /// <summary>The sender matches no entry of <c>policies/soc/sources.yaml</c>.</summary>
    UnknownSource = 1 << 4,

    /// <summary>The same event was already received from the same source (a RELP retransmission after a reconnect).</summary>
    Duplicate = 1 << 5,

    /// <summary>The TLS client presented a certificate, and it was not one our CA issued.</summary>
    UntrustedClientCertificate = 1 << 6,
}
