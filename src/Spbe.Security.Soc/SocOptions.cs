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

    /// <summary>Whether the Host runs the listeners and the pipeline (the CLI never does).</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool Enabled { get; set; } = true;

    /// <summary>A write-ahead log segment is closed once it reaches this size.</summary>
    /// <value>The default value is 64 MiB.</value>
    [Range(64 * 1024, 4L * 1024 * 1024 * 1024)]
    public long WalSegmentBytes { get; set; } = SocDefaults.WalSegmentBytes;

    /// <summary>Whether each write-ahead log batch is flushed to disk (fsync) before it is acknowledged. Turning it off
    /// trades durability across power loss (not across a crash of the process) for speed.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool WalFsync { get; set; } = true;

    /// <summary>The time zone (IANA id) of BSD timestamps, which carry none.</summary>
    /// <value>The default value is <c>Asia/Jakarta</c>.</value>
    [Required(AllowEmptyStrings = false)]
    public string SourceTimeZone { get; set; } = SocDefaults.SourceTimeZone;

    /// <summary>Connections one source (address) may hold open per listener; more are refused and counted.</summary>
    /// <value>The default value is 64.</value>
    [Range(1, 100_000)]
    public int MaxConnectionsPerSource { get; set; } = SocDefaults.MaxConnectionsPerSource;

    /// <summary>Seconds a connection may stay silent before it is closed (half-open connections end this way).</summary>
    /// <value>The default value is 300.</value>
    [Range(1, 86_400)]
    public int IdleTimeoutSeconds { get; set; } = SocDefaults.IdleTimeoutSeconds;

    /// <summary>Seconds a TLS handshake may take.</summary>
    /// <value>The default value is 10.</value>
    [Range(1, 300)]
    public int TlsHandshakeTimeoutSeconds { get; set; } = SocDefaults.TlsHandshakeTimeoutSeconds;

    /// <summary>Largest HTTP ingest body in bytes.</summary>
    /// <value>The default value is 16 MiB.</value>
    [Range(1024, 1024 * 1024 * 1024)]
    public int HttpMaxBodyBytes { get; set; } = SocDefaults.HttpMaxBodyBytes;

    /// <summary>Events one store transaction takes at most.</summary>
    /// <value>The default value is 8192.</value>
    [Range(1, 1_000_000)]
    public int StoreBatchSize { get; set; } = SocDefaults.StoreBatchSize;

    /// <summary>Whether the pipeline runs stored events through the detection rules and stores alerts.</summary>
    /// <value>The default value is true.</value>
    public bool Detect { get; set; } = true;

    /// <summary>Ruleset directories the live pipeline detects with before policies/soc, in load order: Wazuh layouts
    /// (DIR/decoders, DIR/rules, DIR/lists) or flat folders, as for <c>spbe logtest --ruleset</c>; typically Wazuh's
    /// stock ruleset. Empty: policies/soc alone.</summary>
    public string[] Rulesets { get; set; } = [];

    /// <summary>Messages per RELP sender remembered to mark resent ones as duplicates.</summary>
    /// <value>The default value is 2048.</value>
    [Range(1, 1_000_000)]
    public int DuplicateWindow { get; set; } = SocDefaults.DuplicateWindow;

    /// <summary>Alerts of this rule level and above become incidents (grouped); lower ones stay searchable alerts.</summary>
    /// <value>The default value is 7.</value>
    [Range(0, 16)]
    public int IncidentMinLevel { get; set; } = SocDefaults.IncidentMinLevel;

    /// <summary>Minutes since an open incident's last alert within which a new alert with the same key joins it.</summary>
    /// <value>The default value is 1440 (a day).</value>
    [Range(1, 525_600)]
    public int IncidentWindowMinutes { get; set; } = SocDefaults.IncidentWindowMinutes;

    /// <summary>Announcements of new high-severity incidents and SLA breaches (<c>Soc:Notify</c>).</summary>
    [Microsoft.Extensions.Options.ValidateObjectMembers]
    public Incidents.Notifications.NotifyOptions Notify { get; set; } = new();
}
