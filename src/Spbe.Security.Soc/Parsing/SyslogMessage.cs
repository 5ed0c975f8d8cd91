namespace Spbe.Security.Soc.Parsing;

/// <summary>The parts of one syslog message. Fields a message did not carry are <see langword="null"/>.</summary>
public sealed class SyslogMessage
{
    /// <summary>Which header the message had.</summary>
    public SyslogFormat Format { get; init; }

    /// <summary>What did not conform.</summary>
    public SyslogProblems Problems { get; init; }

    /// <summary>The facility (0-23), from PRI.</summary>
    public int? Facility { get; init; }

    /// <summary>The severity (0 emergency to 7 debug), from PRI.</summary>
    public int? Severity { get; init; }

    /// <summary>The timestamp the sender wrote; BSD timestamps get the year closest to the arrival and the sources' zone.</summary>
    public DateTimeOffset? Timestamp { get; init; }

    /// <summary>HOSTNAME.</summary>
    public string? Hostname { get; init; }

    /// <summary>APP-NAME (RFC 5424) or the program part of the TAG (RFC 3164).</summary>
    public string? AppName { get; init; }

    /// <summary>PROCID, or the pid in brackets after the program.</summary>
    public string? ProcId { get; init; }

    /// <summary>MSGID (RFC 5424 only).</summary>
    public string? MsgId { get; init; }

    /// <summary>The structured data elements (RFC 5424 only).</summary>
    public IReadOnlyList<StructuredDataElement> StructuredData { get; init; } = [];

    /// <summary>The free-form message.</summary>
    public string Message { get; init; } = "";
}
