using System.Globalization;
using Spbe.Security.Documents;
using Spbe.Security.Soc.Incidents.Persistence;

namespace Spbe.Security.Soc.Incidents.Reports;

/// <summary>Which document to write from an incident.</summary>
public enum IncidentReportKind
{
    /// <summary>The CSIRT's incident report to DISKOMINFO (laporan insiden).</summary>
    Laporan,

    /// <summary>The written notification to the mayor (nota dinas pemberitahuan insiden).</summary>
    NotaWaliKota,
}

/// <summary>Who the document comes from and when: the city, the place and date line, and the official who will sign it.</summary>
/// <param name="City">The government's name, e.g. <c>Pemerintah Kota Contoh</c>.</param>
/// <param name="Place">The place in the date line, e.g. <c>Contoh</c>.</param>
/// <param name="Date">The document's date (city time).</param>
/// <param name="SignerName">The signing official's name.</param>
/// <param name="SignerNip">Their NIP.</param>
/// <param name="SignerJabatan">Their position.</param>
/// <param name="PreparedBy">The NIP of the analyst who generated it.</param>
/// <param name="Anchor">The text in the signature block the signer's stamp goes on (<see cref="IncidentReports.NewAnchor"/>).</param>
public sealed record ReportContext(string City, string Place, DateTimeOffset Date, string? SignerName, string? SignerNip, string? SignerJabatan, string PreparedBy, string Anchor);

/// <summary>
/// The incident report to DISKOMINFO and the notification to the mayor, written as PDF from an incident's record, SLA
/// state and timeline. The signature block carries the context's anchor, where the TTE service puts the signer's visible
/// stamp when the document goes through the naskah dinas workflow.
/// </summary>
/// <remarks>The anchor is random per document, never a fixed <c>#ttd#</c>: the stamp goes on the first occurrence of the
/// anchor, and log content quoted in the document (a URL ending in <c>#ttd#</c>, a note) must not be able to move an
/// official's signature onto text of an attacker's choosing.</remarks>
public static class IncidentReports
{
    /// <summary>A fresh anchor: <c>#ttd-</c>, 16 random hexadecimal digits, <c>#</c>.</summary>
    public static string NewAnchor() => "#ttd-" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(8)) + "#";

    private static readonly CultureInfo Indonesian = CultureInfo.GetCultureInfo("id-ID");

    /// <summary>The document's number: <c>CSIRT/2026/11/42/LAP</c> or <c>.../NOTA</c>.</summary>
    public static string NumberOf(IncidentReportKind kind, IncidentRecord incident, DateTimeOffset date)
    {
        ArgumentNullException.ThrowIfNull(incident);
        return string.Create(CultureInfo.InvariantCulture, $"CSIRT/{date:yyyy}/{date:MM}/{incident.Id}/{(kind == IncidentReportKind.Laporan ? "LAP" : "NOTA")}");
    }

    /// <summary>Writes the document.</summary>
    public static byte[] Write(IncidentReportKind kind, IncidentDetail detail, SlaState sla, ReportContext context)
    {
        ArgumentNullException.ThrowIfNull(detail);
        ArgumentNullException.ThrowIfNull(context);
        return kind == IncidentReportKind.Laporan ? Report(detail, sla, context) : Letter(detail, sla, context);
    }

    private static byte[] Report(IncidentDetail detail, SlaState sla, ReportContext context)
    {
        var i = detail.Incident;
        var pdf = Letterhead(context, $"Laporan Insiden Siber #{i.Id}");
        pdf.Centred("LAPORAN INSIDEN SIBER", 13);
        pdf.Centred("Nomor: " + NumberOf(IncidentReportKind.Laporan, i, context.Date), 10, bold: false);
        pdf.Space(10);
        pdf.Field("Kepada", "Yth. Kepala Dinas Komunikasi dan Informatika");
        pdf.Field("Dari", "Tim Tanggap Insiden Siber (CSIRT) " + context.City);
        pdf.Field("Tanggal", Date(context.Date));
        pdf.Space(6);
        pdf.Heading("1. Ringkasan", 2);
        pdf.Field("Insiden", $"#{i.Id} {i.Title}");
        pdf.Field("OPD terdampak", i.Opd ?? "-");
        pdf.Field("Tingkat", $"{i.Severity.Label()} (level aturan tertinggi {i.MaxLevel})");
        pdf.Field("Status", i.Status.Label());
        pdf.Field("Penanggung jawab", i.Assignee ?? "belum ditugaskan");
        pdf.Field("Aturan deteksi", $"{i.RuleId}; grup {Or(i.Groups)}");
        pdf.Field("MITRE ATT&CK", Or(i.Mitre));
        pdf.Field("Jumlah peringatan", i.AlertCount.ToString("N0", Indonesian));
        pdf.Field("Pertama / terakhir", $"{Time(i.FirstSeen, context)} / {Time(i.LastSeen, context)}");
        pdf.Field("Dibuat / diakui", $"{Time(i.CreatedAt, context)} / {(i.AcknowledgedAt is { } a ? Time(a, context) : "-")}");
        pdf.Field("Ditutup", i.ClosedAt is { } c ? Time(c, context) : "-");
        pdf.Field("SLA penanggapan", $"batas {Time(sla.AcknowledgeDue, context)}, {(sla.AcknowledgeBreached ? "TERLAMPAUI" : sla.Acknowledged ? "terpenuhi" : "berjalan")}");
        pdf.Field("SLA penyelesaian", $"batas {Time(sla.ResolveDue, context)}, {(sla.ResolveBreached ? "TERLAMPAUI" : sla.Resolved ? "terpenuhi" : "berjalan")}");
        pdf.Heading("2. Observable", 2);
        pdf.Field("Alamat IP", Or(i.SourceIps));
        pdf.Field("Pengguna", Or(i.Users));
        pdf.Field("Host", Or(i.Hosts));
        pdf.Field("Hash berkas", Or(i.Hashes));
        pdf.Field("URL", Or(i.Urls));
        pdf.Heading("3. Kronologi penanganan", 2);
        pdf.Table(["Waktu", "Oleh", "Jenis", "Keterangan"],
            detail.Entries.TakeLast(60).Select(e => (IReadOnlyList<string>)[Time(e.At, context), e.Actor, e.Kind, Cut(e.Text, 600)]), [1.3f, 1.3f, 0.8f, 4f]);
        if (detail.Tasks.Count > 0)
        {
            pdf.Heading("4. Tugas", 2);
            pdf.Table(["Tugas", "Status", "Oleh"], detail.Tasks.Select(t => (IReadOnlyList<string>)[Cut(t.Title, 200), t.Done ? "selesai" : "terbuka", t.CreatedBy]), [4f, 1f, 1.5f]);
        }

        pdf.Heading(detail.Tasks.Count > 0 ? "5. Peringatan terkait (terbaru)" : "4. Peringatan terkait (terbaru)", 2);
        pdf.Table(["Waktu", "Aturan", "Level", "Deskripsi"],
            detail.Alerts.Take(25).Select(a => (IReadOnlyList<string>)[Time(a.At, context), a.RuleId.ToString(CultureInfo.InvariantCulture), a.Level.ToString(CultureInfo.InvariantCulture), Cut(a.Description, 300)]),
            [1.3f, 0.7f, 0.5f, 4.5f]);
        if (detail.Attachments.Count > 0)
        {
            pdf.Heading("Lampiran bukti", 2);
            pdf.Table(["Berkas", "Ukuran (bita)", "SHA-256"], detail.Attachments.Select(x => (IReadOnlyList<string>)[x.Name, x.Size.ToString("N0", Indonesian), x.Sha256]), [1.6f, 1f, 3.4f]);
        }

        pdf.Paragraph("Isi log dalam laporan ini berasal dari sistem yang dipantau dan dikutip apa adanya sebagai bukti; tautan atau perintah di dalamnya tidak untuk dibuka atau dijalankan.", 8.5f);
        Signature(pdf, context, "Ketua Tim CSIRT");
        return pdf.ToPdf();
    }

    private static byte[] Letter(IncidentDetail detail, SlaState sla, ReportContext context)
    {
        var i = detail.Incident;
        var pdf = Letterhead(context, $"Nota Dinas Pemberitahuan Insiden Siber #{i.Id}");
        pdf.Centred("NOTA DINAS", 13);
        pdf.Centred("Nomor: " + NumberOf(IncidentReportKind.NotaWaliKota, i, context.Date), 10, bold: false);
        pdf.Space(10);
        pdf.Field("Yth.", "Wali Kota");
        pdf.Field("Dari", "Kepala Dinas Komunikasi dan Informatika");
        pdf.Field("Tanggal", Date(context.Date));
        pdf.Field("Sifat", i.Severity >= IncidentSeverity.Tinggi ? "Segera" : "Biasa");
        pdf.Field("Perihal", $"Pemberitahuan insiden siber pada {i.Opd ?? "sistem pemerintah kota"}");
        pdf.Rule();
        pdf.Paragraph(
            $"Dengan hormat, bersama ini kami sampaikan bahwa Tim Tanggap Insiden Siber (CSIRT) {context.City} mencatat insiden siber " +
            $"bertingkat {i.Severity.Label().ToLower(Indonesian)} pada {i.Opd ?? "sistem pemerintah kota"}, pertama terdeteksi {Time(i.FirstSeen, context)} " +
            $"dan terakhir {Time(i.LastSeen, context)}, dengan {i.AlertCount.ToString("N0", Indonesian)} peringatan dari sistem pemantauan keamanan.");
        pdf.Paragraph($"Uraian singkat: {i.Title}.");
        var state = i.Status.IsClosed()
            ? $"Insiden telah ditangani dan ditutup pada {(i.ClosedAt is { } closed ? Time(closed, context) : "-")} dengan status {i.Status.Label()}."
            : $"Insiden sedang ditangani (status {i.Status.Label()}){(sla.ResolveBreached ? "; batas waktu penyelesaian telah terlampaui dan penanganan dipercepat" : "")}.";
        pdf.Paragraph(state);
        var notes = detail.Entries.Where(e => e.Kind == IncidentEntryKinds.Note).TakeLast(3).Select(e => Cut(e.Text, 400)).ToList();
        if (notes.Count > 0)
        {
            pdf.Paragraph("Langkah penanganan yang dicatat: " + string.Join(" ", notes.Select(n => n.EndsWith('.') ? n : n + ".")));
        }

        pdf.Paragraph("Rincian teknis tercantum dalam laporan insiden CSIRT nomor " + NumberOf(IncidentReportKind.Laporan, i, context.Date) +
            ". Demikian kami sampaikan untuk menjadi perhatian Bapak/Ibu Wali Kota.");
        Signature(pdf, context, "Kepala Dinas Komunikasi dan Informatika");
        return pdf.ToPdf();
    }

    private static PdfTextDocument Letterhead(ReportContext context, string title)
    {
        var pdf = new PdfTextDocument(title);
        pdf.Centred(context.City.ToUpper(Indonesian), 13);
        pdf.Centred("DINAS KOMUNIKASI DAN INFORMATIKA", 12);
        pdf.Centred("Tim Tanggap Insiden Siber (CSIRT)", 10, bold: false);
        pdf.Rule();
        pdf.Space(4);
        return pdf;
    }

    private static void Signature(PdfTextDocument pdf, ReportContext context, string role)
    {
        // Note: the block is kept on one page; the stamp (220 x 56 points) is centred on the anchor line.
        pdf.Room(150);
        pdf.Space(12);
        pdf.Paragraph($"{context.Place}, {Date(context.Date)}", 10.5f);
        pdf.Paragraph(context.SignerJabatan ?? role, 10.5f, bold: true);
        pdf.Space(22);
        pdf.Paragraph(context.Anchor, 10.5f);
        pdf.Space(22);
        pdf.Paragraph(context.SignerName ?? "(nama pejabat)", 10.5f, bold: true);
        pdf.Paragraph("NIP " + (context.SignerNip ?? "-"), 10.5f);
        pdf.Paragraph("Disiapkan oleh " + context.PreparedBy + " melalui konsol CSIRT Spbe.Security.", 8);
    }

    private static string Date(DateTimeOffset date) => date.ToString("d MMMM yyyy", Indonesian);

    private static string Time(long ms, ReportContext context) =>
        DateTimeOffset.FromUnixTimeMilliseconds(ms).ToOffset(context.Date.Offset).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + Zone(context.Date.Offset);

    private static string Zone(TimeSpan offset) => offset.TotalHours switch
    {
        7 => " WIB",
        8 => " WITA",
        9 => " WIT",
        _ => " UTC" + (offset < TimeSpan.Zero ? "-" : "+") + offset.ToString(@"hh\:mm", CultureInfo.InvariantCulture),
    };

    private static string Or(string words) => string.IsNullOrWhiteSpace(words) ? "-" : string.Join(", ", words.Split(' ', StringSplitOptions.RemoveEmptyEntries).Take(40));

    private static string Cut(string text, int length) => text.Length <= length ? text : text[..length] + "...";
}
