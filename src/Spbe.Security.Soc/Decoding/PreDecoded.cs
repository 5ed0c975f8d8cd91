namespace Spbe.Security.Soc.Decoding;

/// <summary>What pre-decoding found in a line: the whole line, the text after the header (what decoders and rules
/// read), and the header's timestamp text, host and program name when there was one.</summary>
public sealed record PreDecoded(string FullLog, string Log, string? Timestamp, string? Hostname, string? ProgramName);
