namespace Spbe.Security.Soc;

/// <summary>Default values of <see cref="SocOptions"/> (the ports are those of ARCHITECTURE.md).</summary>
public static class SocDefaults
{
    /// <summary>Listeners bind to loopback unless configured otherwise.</summary>
    public const string BindAddress = "127.0.0.1";

    /// <summary>Syslog over UDP (RFC 5426).</summary>
    public const int SyslogUdpPort = 5514;

    /// <summary>Syslog over TCP (RFC 6587).</summary>
    public const int SyslogTcpPort = 5514;

    /// <summary>Syslog over TLS (RFC 5425).</summary>
    public const int SyslogTlsPort = 6514;

    /// <summary>RELP (rsyslog's omrelp).</summary>
    public const int RelpPort = 2514;

    /// <summary>Capacity of the ingest channel.</summary>
    public const int IngestQueueCapacity = 10_000;

    /// <summary>Longest message kept whole; longer ones are truncated and flagged.</summary>
    public const int MaxMessageBytes = 64 * 1024;

    /// <summary>A write-ahead log segment is closed once it reaches this size.</summary>
    public const long WalSegmentBytes = 64L * 1024 * 1024;

    /// <summary>The zone of BSD timestamps (which carry none): the city's, WIB.</summary>
    public const string SourceTimeZone = "Asia/Jakarta";

    /// <summary>Connections one source may hold open per listener.</summary>
    public const int MaxConnectionsPerSource = 64;

    /// <summary>A connection that sends nothing for this long is closed.</summary>
    public const int IdleTimeoutSeconds = 300;

    /// <summary>A TLS handshake must finish within this time.</summary>
    public const int TlsHandshakeTimeoutSeconds = 10;

    /// <summary>Largest HTTP ingest body.</summary>
    public const int HttpMaxBodyBytes = 16 * 1024 * 1024;

    /// <summary>Events one store transaction takes at most.</summary>
    public const int StoreBatchSize = 8192;

    /// <summary>Messages per RELP sender remembered for duplicate marking.</summary>
    public const int DuplicateWindow = 2048;

    /// <summary>The lowest rule level that makes an incident.</summary>
    public const int IncidentMinLevel = 7;

    /// <summary>The incident grouping window, in minutes.</summary>
    public const int IncidentWindowMinutes = 1440;
}
