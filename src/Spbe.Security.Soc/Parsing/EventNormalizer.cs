using System.Globalization;
using System.Text.Json;
using Spbe.Security.Soc.Ingest;
using Spbe.Security.Soc.Store;

namespace Spbe.Security.Soc.Parsing;

/// <summary>Turns a received record into a <see cref="SocEvent"/>: syslog lines through <see cref="SyslogParser"/>, JSON
/// events (HTTP ingest, in-process security events) by their ECS fields.</summary>
public static class EventNormalizer
{
    /// <summary>Normalizes <paramref name="record"/>; BSD timestamps are read in <paramref name="zone"/>. Never throws on
    /// the record's content.</summary>
    public static SocEvent Normalize(IngestRecord record, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(record);
        var text = RawText.Decode(record.Raw, out var textFlags);
        var arrival = DateTimeOffset.FromUnixTimeMilliseconds(record.ArrivalUnixMs);
        var syslog = Parse(text, record.Transport, arrival, zone);
        var flags = record.Flags | textFlags;
        return new SocEvent
        {
            Sequence = record.Sequence, Timestamp = arrival, Opd = record.Source.Opd, Source = record.Source.Name, Transport = record.Transport,
            Flags = flags, Peer = record.Peer, Syslog = syslog, Original = text,
            OriginalBytes = (flags & (IngestFlags.InvalidUtf8 | IngestFlags.NulBytes)) != 0 ? record.Raw : null,
        };
    }

    /// <summary>The header and message of received text: JSON events (HTTP ingest, in-process security events) by their
    /// ECS fields, everything else as syslog.</summary>
    public static SyslogMessage Parse(string text, IngestTransport transport, DateTimeOffset arrival, TimeZoneInfo zone) =>
        transport is IngestTransport.Http or IngestTransport.Internal ? FromJson(text) : SyslogParser.Parse(text, arrival, zone);

    /// <summary>Reads the ECS fields that fill the header columns: <c>host.name</c>, <c>service.name</c> (or
    /// <c>process.name</c>, <c>event.module</c>), <c>process.pid</c>, <c>log.syslog.severity.code</c>, <c>@timestamp</c>, <c>message</c>.</summary>
    public static SyslogMessage FromJson(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        try
        {
            using var document = JsonDocument.Parse(text, new JsonDocumentOptions { MaxDepth = 32 });
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return new SyslogMessage { Message = text };
            }

            var severity = Path(root, "log", "syslog", "severity", "code") is { ValueKind: JsonValueKind.Number } s && s.TryGetInt32(out var sv) && sv is >= 0 and <= 7
                ? sv : (int?)null;
            DateTimeOffset? timestamp = Path(root, "@timestamp") is { ValueKind: JsonValueKind.String } t
                && DateTimeOffset.TryParse(t.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var ts) ? ts : null;
            return new SyslogMessage
            {
                Severity = severity,
                Timestamp = timestamp,
                Hostname = String(Path(root, "host", "name")) ?? String(Path(root, "host", "hostname")),
                AppName = String(Path(root, "service", "name")) ?? String(Path(root, "process", "name")) ?? String(Path(root, "event", "module")),
                ProcId = Path(root, "process", "pid") is { ValueKind: JsonValueKind.Number } pid ? pid.GetRawText() : null,
                Message = String(Path(root, "message")) ?? text,
            };
        }
        catch (JsonException)
        {
            return new SyslogMessage { Message = text };
        }
    }

    private static string? String(JsonElement? element) => element is { ValueKind: JsonValueKind.String } e ? e.GetString() : null;

    /// <summary>Follows nested objects, and also accepts the flat dotted key (<c>"host.name"</c>) some shippers send.</summary>
    private static JsonElement? Path(JsonElement root, params string[] names)
    {
        if (root.TryGetProperty(string.Join('.', names), out var flat))
        {
            return flat;
        }

        var current = root;
        foreach (var name in names)
        {
            if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(name, out current))
            {
                return null;
            }
        }

        return current;
    }
}
