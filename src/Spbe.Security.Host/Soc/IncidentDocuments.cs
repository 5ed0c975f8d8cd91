using System.Globalization;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Spbe.Security.Identity.Accounts;
using Spbe.Security.Pki;
using Spbe.Security.Pki.Signing.Naskah;
using Spbe.Security.Soc;
using Spbe.Security.Soc.Incidents;
using Spbe.Security.Soc.Incidents.Persistence;
using Spbe.Security.Soc.Incidents.Reports;

namespace Spbe.Security.Host.Soc;

/// <summary>
/// The documents made from an incident for the console and the API: the report to DISKOMINFO and the note to the mayor
/// as PDF, and their submission to the TTE naskah dinas workflow, where the chosen official signs with their passphrase
/// (the CSIRT never signs for them).
/// </summary>
public sealed class IncidentDocuments(
    IncidentService incidents, IncidentSla sla, UserManager<AsnUser> users, NaskahWorkflow naskah, IOptions<PkiOptions> pki, IOptions<SocOptions> soc, TimeProvider time)
{
    /// <summary>Reads a kind from the API and pages (<c>laporan</c> or <c>nota</c>).</summary>
    public static IncidentReportKind ParseKind(string? text) => text?.ToLowerInvariant() switch
    {
        null or "" or "laporan" => IncidentReportKind.Laporan,
        "nota" or "notawalikota" => IncidentReportKind.NotaWaliKota,
        _ => throw new SpbeException(SocErrors.IncidentInvalid, "kind must be 'laporan' (report to DISKOMINFO) or 'nota' (note to the mayor)"),
    };

    /// <summary>The PDF of <paramref name="kind"/> for <paramref name="detail"/>, naming <paramref name="signerNip"/> (if
    /// given, an account's NIP) in the signature block; its file name, and the anchor its stamp goes on.</summary>
    public async Task<(byte[] Pdf, string FileName, string Anchor)> WriteAsync(IncidentDetail detail, IncidentReportKind kind, string? signerNip, string preparedBy)
    {
        ArgumentNullException.ThrowIfNull(detail);
        var signer = signerNip is { Length: > 0 } ? await users.FindByNameAsync(signerNip) ?? throw new SpbeException(SocErrors.IncidentInvalid, "there is no account with that NIP to sign") : null;
        var zone = TimeZoneInfo.FindSystemTimeZoneById(soc.Value.SourceTimeZone);
        var now = TimeZoneInfo.ConvertTime(time.GetUtcNow(), zone);
        var city = pki.Value.Organization;
        var place = city.StartsWith("Pemerintah ", StringComparison.Ordinal) ? city["Pemerintah ".Length..] : city;
        var context = new ReportContext(city, place, now, signer?.DisplayName, signer?.Nip, signer?.Jabatan, preparedBy, IncidentReports.NewAnchor());
        var pdf = IncidentReports.Write(kind, detail, sla.Evaluate(detail.Incident, now.ToUnixTimeMilliseconds()), context);
        var name = string.Create(CultureInfo.InvariantCulture, $"{(kind == IncidentReportKind.Laporan ? "laporan-insiden" : "nota-walikota-insiden")}-{detail.Incident.Id}.pdf");
        return (pdf, name, context.Anchor);
    }

    /// <summary>Writes the document for <paramref name="signerNip"/> and starts its naskah dinas workflow (reviewers' paraf
    /// in order, then the signer's signature on the document's anchor), noted in the timeline.</summary>
    public async Task<NaskahInfo> SubmitAsync(IncidentDetail detail, IncidentReportKind kind, string signerNip, IReadOnlyList<string> reviewers, SocViewer viewer)
    {
        ArgumentNullException.ThrowIfNull(detail);
        ArgumentNullException.ThrowIfNull(viewer);
        var (pdf, _, anchor) = await WriteAsync(detail, kind, signerNip, viewer.Nip);
        var title = string.Create(CultureInfo.InvariantCulture,
            $"{(kind == IncidentReportKind.Laporan ? "Laporan insiden siber" : "Nota dinas pemberitahuan insiden siber")} #{detail.Incident.Id}");
        var created = await naskah.CreateAsync(new NaskahDraft(title, viewer.Nip, viewer.User.OpdCode, pdf, reviewers, signerNip, anchor));
        if (!created.Success)
        {
            throw new SpbeException(SocErrors.IncidentInvalid, $"{created.ErrorCode}: {created.Error}");
        }

        await incidents.AddEntryAsync(detail.Incident.Id, IncidentEntryKinds.Report,
            $"{title} diajukan untuk ditandatangani {signerNip} (naskah {created.Value!.Id:N})", viewer.Nip);
        return created.Value;
    }
}
