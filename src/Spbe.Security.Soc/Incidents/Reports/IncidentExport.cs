using System.Globalization;
using System.Text;
using System.Text.Json;
using Spbe.Security.Soc.Incidents.Persistence;

namespace Spbe.Security.Soc.Incidents.Reports;

/// <summary>The formats of the audit export.</summary>
public enum IncidentExportFormat
{
    /// <summary>One row per incident (RFC 4180), for spreadsheets.</summary>
    Csv,

    /// <summary>One JSON object per line per incident, with its whole timeline.</summary>
    NdJson,
}

/// <summary>
/// The export of closed incidents for audit: what happened, who handled it, how fast, and (NDJSON) the whole timeline.
/// Log-derived text is attacker input: CSV cells that a spreadsheet would run as a formula (<c>= + - @</c>, tab, CR) are
/// written with a leading apostrophe.
/// </summary>
public static class IncidentExport
{
    private static readonly string[] Columns =
    [
        "id", "judul", "opd", "tingkat", "status", "aturan", "grup", "mitre", "penanggung_jawab", "dibuat", "diakui", "ditutup",
        "mtta_menit", "mttr_menit", "sla_tanggap_terlampaui", "sla_selesai_terlampaui", "jumlah_peringatan", "ip", "pengguna", "host", "hash", "url",
    ];

    /// <summary>Writes <paramref name="incidents"/> to <paramref name="output"/>; returns how many.</summary>
    public static async Task<int> WriteAsync(
        Stream output, IncidentExportFormat format, IAsyncEnumerable<(IncidentRecord Incident, IReadOnlyList<IncidentEntryRecord> Timeline)> incidents,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(incidents);
        await using var writer = new StreamWriter(output, new UTF8Encoding(false), 65536, leaveOpen: true) { NewLine = "\r\n" };
        if (format == IncidentExportFormat.Csv)
        {
            await writer.WriteLineAsync(string.Join(',', Columns));
        }

        var count = 0;
        await foreach (var (i, timeline) in incidents.WithCancellation(cancellationToken))
        {
            if (format == IncidentExportFormat.Csv)
            {
                await writer.WriteLineAsync(string.Join(',', Row(i).Select(Cell)));
            }
            else
            {
                await writer.WriteAsync(JsonSerializer.Serialize(new
                {
                    id = i.Id, title = i.Title, opd = i.Opd, severity = i.Severity.Label(), status = i.Status.Label(), rule = i.RuleId, groups = i.Groups, mitre = i.Mitre,
                    assignee = i.Assignee, created_at = Time(i.CreatedAt), acknowledged_at = i.AcknowledgedAt is { } a ? Time(a) : null,
                    closed_at = i.ClosedAt is { } c ? Time(c) : null, merged_into = i.MergedInto, alert_count = i.AlertCount,
                    ack_breached = i.AckBreachedAt is not null, resolve_breached = i.ResolveBreachedAt is not null,
                    observables = new { ips = i.SourceIps, users = i.Users, hosts = i.Hosts, hashes = i.Hashes, urls = i.Urls },
                    timeline = timeline.Select(e => new { at = Time(e.At), actor = e.Actor, kind = e.Kind, text = e.Text }),
                }));
                await writer.WriteAsync('\n');
            }

            count++;
        }

        await writer.FlushAsync(cancellationToken);
        return count;
    }

    private static IEnumerable<string> Row(IncidentRecord i) =>
    [
        i.Id.ToString(CultureInfo.InvariantCulture), i.Title, i.Opd ?? "", i.Severity.Label(), i.Status.Label(), i.RuleId.ToString(CultureInfo.InvariantCulture),
        i.Groups, i.Mitre, i.Assignee ?? "", Time(i.CreatedAt), i.AcknowledgedAt is { } a ? Time(a) : "", i.ClosedAt is { } c ? Time(c) : "",
        i.AcknowledgedAt is { } a2 ? Minutes(a2 - i.CreatedAt) : "", i.ClosedAt is { } c2 ? Minutes(c2 - i.CreatedAt) : "",
        i.AckBreachedAt is null ? "tidak" : "ya", i.ResolveBreachedAt is null ? "tidak" : "ya", i.AlertCount.ToString(CultureInfo.InvariantCulture),
        i.SourceIps, i.Users, i.Hosts, i.Hashes, i.Urls,
    ];

    /// <summary>A CSV cell: quoted when needed, and defused when a spreadsheet would take it for a formula.</summary>
    public static string Cell(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
        {
            value = "'" + value;
        }

        return value.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }

    private static string Time(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    private static string Minutes(long ms) => Math.Round(ms / 60_000.0, 1).ToString(CultureInfo.InvariantCulture);
}
