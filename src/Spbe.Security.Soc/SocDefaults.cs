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
}
