namespace Spbe.Security.Soc.Parsing;

/// <summary>What did not conform in a message's header; the message is still kept and parsed as far as possible.</summary>
[Flags]
public enum SyslogProblems : byte
{
    /// <summary>A conforming header.</summary>
    None = 0,

    /// <summary>No <c>&lt;PRI&gt;</c> at the start.</summary>
    NoPri = 1 << 0,

    /// <summary>A <c>&lt;PRI&gt;</c> that is not a number from 0 to 191.</summary>
    BadPri = 1 << 1,

    /// <summary>A timestamp that could not be read.</summary>
    BadTimestamp = 1 << 2,

    /// <summary>An RFC 5424 header cut short (fewer fields than the standard requires).</summary>
    BadHeader = 1 << 3,

    /// <summary>RFC 5424 structured data that is not well-formed; it stays part of the message text.</summary>
    BadStructuredData = 1 << 4,
}
