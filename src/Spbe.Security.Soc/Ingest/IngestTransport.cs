namespace Spbe.Security.Soc.Ingest;

/// <summary>How an event reached us; stored with it as <c>network.transport</c>-like <c>event.transport</c>.</summary>
public enum IngestTransport : byte
{
    /// <summary>Syslog over UDP (RFC 5426).</summary>
    Udp = 1,

    /// <summary>Syslog over TCP (RFC 6587).</summary>
    Tcp = 2,

    /// <summary>Syslog over TLS (RFC 5425).</summary>
    Tls = 3,

    /// <summary>RELP (rsyslog's reliable event logging protocol).</summary>
    Relp = 4,

    /// <summary>JSON over HTTP.</summary>
    Http = 5,

    /// <summary>Security events of this process (Identity, signing).</summary>
    Internal = 6,
}
