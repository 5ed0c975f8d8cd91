using Spbe.Security.Soc.Ingest;
using Spbe.Security.Soc.Parsing;

namespace Spbe.Security.Soc.Store;

/// <summary>One stored event as the search API and the CLI show it (ECS field names in its JSON form).</summary>
public sealed class SocEvent
{
    /// <summary>The write-ahead log sequence number: unique and increasing (<c>event.sequence</c>).</summary>
    public long Sequence { get; init; }

    /// <summary>When it arrived (<c>@timestamp</c>; correlation windows use it, like Wazuh's).</summary>
    public DateTimeOffset Timestamp { get; init; }

    /// <summary>The OPD of the source (<c>organization.id</c>); <see langword="null"/> for unknown sources.</summary>
    public string? Opd { get; init; }

    /// <summary>The source's name in sources.yaml (<c>observer.name</c>).</summary>
    public string Source { get; init; } = "";

    /// <summary>How it arrived.</summary>
    public IngestTransport Transport { get; init; }

    /// <summary>What was noticed on receipt.</summary>
    public IngestFlags Flags { get; init; }

    /// <summary>The sender's address (<c>observer.ip</c>).</summary>
    public string Peer { get; init; } = "";

    /// <summary>The parsed header and message.</summary>
    public SyslogMessage Syslog { get; init; } = new();

    /// <summary>The received text (<c>event.original</c>), NUL shown as U+2400, invalid UTF-8 as U+FFFD.</summary>
    public string Original { get; init; } = "";

    /// <summary>The received bytes, kept when the text could not show them exactly (invalid UTF-8 or NUL).</summary>
    public byte[]? OriginalBytes { get; init; }

    /// <summary>The rule that fired on it, when one of the alert level did (<c>rule.*</c>).</summary>
    public Alerts.SocAlert? Alert { get; internal set; }
}
