using System.Globalization;
using System.Text.Json;
using Spbe.Security.Soc.Ingest;

namespace Spbe.Security.Soc.Store;

/// <summary>Writes a <see cref="SocEvent"/> as ECS-style JSON, the form the search API and <c>spbe soc events --json</c> return.</summary>
public static class SocEventJson
{
    /// <summary>The name a flag has in <c>event.flags</c> and in metrics.</summary>
    public static string FlagName(IngestFlags flag) => flag switch
    {
        IngestFlags.Truncated => "truncated",
        IngestFlags.InvalidUtf8 => "invalid_utf8",
        IngestFlags.NulBytes => "nul_bytes",
        IngestFlags.BrokenFraming => "broken_framing",
        IngestFlags.UnknownSource => "unknown_source",
        IngestFlags.Duplicate => "duplicate",
        IngestFlags.UntrustedClientCertificate => "untrusted_client_certificate",
        _ => flag.ToString().ToLowerInvariant(),
    };

    /// <summary>The names of the flags set in <paramref name="flags"/>.</summary>
    public static IReadOnlyList<string> FlagNames(IngestFlags flags) =>
        [.. Enum.GetValues<IngestFlags>().Where(f => f != IngestFlags.None && (flags & f) != 0).Select(FlagName)];

    /// <summary>Writes a page as <c>{"events":[...],"next":CURSOR}</c>, the shape of the search API and of
    /// <c>spbe soc events --json</c>.</summary>
    public static void WritePage(Utf8JsonWriter writer, EventPage page)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(page);
        writer.WriteStartObject();
        writer.WriteStartArray("events");
        foreach (var e in page.Events)
        {
            Write(writer, e);
        }

        writer.WriteEndArray();
        writer.WriteString("next", page.NextCursor);
        writer.WriteEndObject();
    }

    /// <summary>Writes <paramref name="e"/> to <paramref name="writer"/>.</summary>
    public static void Write(Utf8JsonWriter writer, SocEvent e)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(e);
        writer.WriteStartObject();
        writer.WriteString("@timestamp", e.Timestamp.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
        writer.WriteString("message", e.Syslog.Message);
        writer.WriteStartObject("event");
        writer.WriteNumber("sequence", e.Sequence);
        writer.WriteString("original", e.Original);
        if (e.Flags != IngestFlags.None)
        {
            writer.WriteStartArray("flags");
            foreach (var name in FlagNames(e.Flags))
            {
                writer.WriteStringValue(name);
            }

            writer.WriteEndArray();
        }

        if (e.OriginalBytes is { } bytes)
        {
            writer.WriteBase64String("original_bytes", bytes);
        }

        writer.WriteEndObject();
        if (e.Opd is { } opd)
        {
            writer.WriteStartObject("organization");
            writer.WriteString("id", opd);
            writer.WriteEndObject();
        }

        writer.WriteStartObject("observer");
        writer.WriteString("name", e.Source);
        writer.WriteString("ip", e.Peer);
        writer.WriteString("type", e.Transport.ToString().ToLowerInvariant());
        if (e.Syslog.Hostname is { } observerHost)
        {
            writer.WriteString("hostname", observerHost);
        }

        writer.WriteEndObject();
        if (e.Syslog.Hostname is { } host)
        {
            writer.WriteStartObject("host");
            writer.WriteString("hostname", host);
            writer.WriteEndObject();
        }

        if (e.Syslog.AppName is not null || e.Syslog.ProcId is not null)
        {
            writer.WriteStartObject("process");
            if (e.Syslog.AppName is { } app)
            {
                writer.WriteString("name", app);
            }

            if (e.Syslog.ProcId is { } pid)
            {
                writer.WriteString("pid", pid);
            }

            writer.WriteEndObject();
        }

        writer.WriteStartObject("log");
        writer.WriteStartObject("syslog");
        writer.WriteString("format", e.Syslog.Format.ToString().ToLowerInvariant());
        if (e.Syslog.Facility is { } facility)
        {
            writer.WriteStartObject("facility");
            writer.WriteNumber("code", facility);
            writer.WriteEndObject();
        }

        if (e.Syslog.Severity is { } severity)
        {
            writer.WriteStartObject("severity");
            writer.WriteNumber("code", severity);
            writer.WriteEndObject();
        }

        if (e.Syslog.Timestamp is { } stamp)
        {
            writer.WriteString("timestamp", stamp.ToString("O", CultureInfo.InvariantCulture));
        }

        if (e.Syslog.MsgId is { } msgId)
        {
            writer.WriteString("msgid", msgId);
        }

        if (e.Syslog.StructuredData.Count > 0)
        {
            writer.WriteStartObject("structured_data");
            foreach (var element in e.Syslog.StructuredData.DistinctBy(s => s.Id))
            {
                writer.WriteStartObject(element.Id);
                foreach (var (name, value) in element.Parameters.DistinctBy(p => p.Key))
                {
                    writer.WriteString(name, value);
                }

                writer.WriteEndObject();
            }

            writer.WriteEndObject();
        }

        if (e.Syslog.Problems != Parsing.SyslogProblems.None)
        {
            writer.WriteString("problems", e.Syslog.Problems.ToString());
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
        if (e.Alert is { } alert)
        {
            WriteAlert(writer, alert);
        }

        writer.WriteEndObject();
    }

    /// <summary>An alert as Wazuh's alerts.json has it: <c>rule</c>, <c>decoder</c> and <c>data</c>.</summary>
    private static void WriteAlert(Utf8JsonWriter writer, Alerts.SocAlert alert)
    {
        writer.WriteStartObject("rule");
        writer.WriteString("id", alert.RuleId.ToString(CultureInfo.InvariantCulture));
        writer.WriteNumber("level", alert.Level);
        writer.WriteString("description", alert.Description);
        writer.WriteNumber("firedtimes", alert.FiredTimes);
        writer.WriteStartArray("groups");
        foreach (var group in alert.Groups)
        {
            writer.WriteStringValue(group);
        }

        writer.WriteEndArray();
        if (alert.Mitre.Count > 0)
        {
            writer.WriteStartObject("mitre");
            writer.WriteStartArray("id");
            foreach (var id in alert.Mitre)
            {
                writer.WriteStringValue(id);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
        if (alert.Decoder is { } decoder)
        {
            writer.WriteStartObject("decoder");
            writer.WriteString("name", decoder);
            writer.WriteEndObject();
        }

        if (alert.Fields.Count > 0)
        {
            writer.WriteStartObject("data");
            foreach (var (name, value) in alert.Fields.DistinctBy(f => f.Key))
            {
                writer.WriteString(name, value);
            }

            writer.WriteEndObject();
        }
    }
}
