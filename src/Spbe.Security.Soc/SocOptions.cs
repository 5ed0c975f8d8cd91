using System.ComponentModel.DataAnnotations;

namespace Spbe.Security.Soc;

/// <summary>Settings of the SOC listeners and pipeline. Bound from the <c>Soc</c> configuration section.</summary>
/// <remarks>A port of 0 asks the operating system for a free port (tests use it and read the port back).</remarks>
public sealed class SocOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "Soc";

    /// <summary>The address the listeners bind to.</summary>
    /// <value>The default value is <c>127.0.0.1</c>.</value>
    [Required(AllowEmptyStrings = false)]
    public string BindAddress { get; set; } = SocDefaults.BindAddress;

    /// <summary>UDP port for RFC 5424/3164 syslog.</summary>
    /// <value>The default value is 5514.</value>
    [Range(0, 65535)]
    public int SyslogUdpPort { get; set; } = SocDefaults.SyslogUdpPort;

    /// <summary>TCP port for syslog (octet-counting and LF framing).</summary>
    /// <value>The default value is 5514.</value>
    [Range(0, 65535)]
    public int SyslogTcpPort { get; set; } = SocDefaults.SyslogTcpPort;

    /// <summary>TCP port for syslog over TLS.</summary>
    /// <value>The default value is 6514.</value>
    [Range(0, 65535)]
    public int SyslogTlsPort { get; set; } = SocDefaults.SyslogTlsPort;

    /// <summary>TCP port for RELP.</summary>
    /// <value>The default value is 2514.</value>
    [Range(0, 65535)]
    public int RelpPort { get; set; } = SocDefaults.RelpPort;

    /// <summary>Capacity of the ingest channel; events beyond it are dropped (UDP) or slow their sender (TCP).</summary>
    /// <value>The default value is 10 000.</value>
    [Range(1, 1_000_000)]
    public int IngestQueueCapacity { get; set; } = SocDefaults.IngestQueueCapacity;

    /// <summary>Longest message kept whole; longer ones are truncated and flagged.</summary>
    /// <value>The default value is 65 536.</value>
    [Range(480, 16 * 1024 * 1024)]
    public int MaxMessageBytes { get; set; } = SocDefaults.MaxMessageBytes;
}
