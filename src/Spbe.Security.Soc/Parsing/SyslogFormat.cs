namespace Spbe.Security.Soc.Parsing;

/// <summary>Which syslog header a message had.</summary>
public enum SyslogFormat : byte
{
    /// <summary>No recognisable header: the whole line is the message (raw application logs).</summary>
    None = 0,

    /// <summary>The BSD format of RFC 3164 and its real-world variants (no PRI, no host, ISO timestamps, a year).</summary>
    Rfc3164 = 1,

    /// <summary>RFC 5424.</summary>
    Rfc5424 = 2,
}
