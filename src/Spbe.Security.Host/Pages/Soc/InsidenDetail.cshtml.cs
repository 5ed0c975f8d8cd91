using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Spbe.Security.Host.Endpoints;
using Spbe.Security.Host.Soc;
using Spbe.Security.Identity.Accounts;
using Spbe.Security.Identity.Events;
using Spbe.Security.Soc;
using Spbe.Security.Soc.Incidents;

namespace Spbe.Security.Host.Pages.Soc;

/// <summary>
/// One incident (<c>/soc/insiden/{id}</c>): its record, observables, linked alerts and timeline, and the forms that move it
/// through the workflow (acknowledge, status, assign, note). Another OPD's incident is refused (403) by URL as well as by
/// menu; a change made on a stale version is refused and the page shows the current one.
/// </summary>
[Authorize]
public sealed class InsidenDetailModel(
    UserManager<AsnUser> users, IncidentService incidents, IncidentSla sla, IncidentAttachmentStore attachments, RunbookCatalog runbooks,
    IncidentDocuments documents, ISecurityEventSink events, TimeProvider time) : PageModel
{
    [BindProperty]
    public string? JenisDokumen { get; set; }

    [BindProperty]
    public string? Penandatangan { get; set; }

    [BindProperty]
    public string? Pemeriksa { get; set; }

    public string? NaskahUrl { get; private set; }

    [BindProperty]
    public string? Judul { get; set; }

    [BindProperty]
    public string? TingkatBaru { get; set; }

    [BindProperty]
    public long Urutan { get; set; }

    [BindProperty]
    public bool Benar { get; set; }

    [BindProperty]
    public string? Sumber { get; set; }

    [BindProperty]
    public List<long> Pecah { get; set; } = [];

    [BindProperty]
    public string? Tugas { get; set; }

    [BindProperty]
    public long TugasId { get; set; }

    [BindProperty]
    public bool TugasSelesai { get; set; }

    [BindProperty]
    public IFormFile? Berkas { get; set; }

    public SlaState SlaState { get; private set; }

    public Runbook? Runbook { get; private set; }

    [BindProperty(SupportsGet = true)]
    public long Id { get; set; }

    [BindProperty]
    public int Versi { get; set; }

    [BindProperty]
    public string? StatusBaru { get; set; }

    [BindProperty]
    public string? Alasan { get; set; }

    [BindProperty]
    public string? Penanggung { get; set; }

    [BindProperty]
    public string? Catatan { get; set; }

    public IncidentDetail Detail { get; private set; } = null!;

    public SocViewer Viewer { get; private set; } = null!;

    public bool MayChange { get; private set; }

    public string? Message { get; private set; }

    public string? Problem { get; private set; }

    public async Task<IActionResult> OnGetAsync()
    {
        var refused = await LoadAsync();
        if (refused is not null)
        {
            return refused;
        }

        await IncidentAudit.RecordAsync(events, time, HttpContext, IncidentAudit.View, Viewer, $"#{Id}");
        return Page();
    }

    public Task<IActionResult> OnPostAkuiAsync() =>
        ChangeAsync("akui", version => incidents.AcknowledgeAsync(Id, version, Viewer.Nip, HttpContext.RequestAborted), "Insiden diakui.");

    public Task<IActionResult> OnPostStatusAsync() =>
        ChangeAsync("status", version => incidents.MoveAsync(Id, version, IncidentEndpoints.ParseStatus(StatusBaru), Alasan, Viewer.Nip, HttpContext.RequestAborted), "Status diubah.");

    public Task<IActionResult> OnPostTugaskanAsync() =>
        ChangeAsync("tugaskan", version => incidents.AssignAsync(Id, version, string.IsNullOrWhiteSpace(Penanggung) ? null : Penanggung.Trim(), Viewer.Nip, HttpContext.RequestAborted), "Penugasan disimpan.");

    public Task<IActionResult> OnPostCatatanAsync() =>
        ChangeAsync("catatan", async _ =>
        {
            await incidents.AddNoteAsync(Id, Catatan ?? "", Viewer.Nip, HttpContext.RequestAborted);
            return null!;
        }, "Catatan ditambahkan.");

    /// <summary>The report or the note as PDF (for anyone who may see the incident).</summary>
    public async Task<IActionResult> OnGetLaporanAsync(string? jenis)
    {
        var refused = await LoadAsync();
        if (refused is not null)
        {
            return refused;
        }

        try
        {
            var (pdf, name, _) = await documents.WriteAsync(Detail, IncidentDocuments.ParseKind(jenis), null, Viewer.Nip);
            await IncidentAudit.RecordAsync(events, time, HttpContext, IncidentAudit.View, Viewer, $"#{Id} report {name}");
            return File(pdf, "application/pdf", name);
        }
        catch (SpbeException ex)
        {
            Problem = $"{ex.Code}: {ex.Message}";
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
    }

    public Task<IActionResult> OnPostUbahAsync() =>
        ChangeAsync("ubah", version => incidents.EditAsync(Id, version, string.IsNullOrWhiteSpace(Judul) || Judul.Trim() == Detail.Incident.Title ? null : Judul,
            string.IsNullOrEmpty(TingkatBaru) || TingkatBaru == Detail.Incident.Severity.ToString() ? null : IncidentEndpoints.ParseSeverity(TingkatBaru), Viewer.Nip, HttpContext.RequestAborted), "Insiden diubah.");

    public Task<IActionResult> OnPostPenilaianAsync() =>
        ChangeAsync("penilaian", async _ =>
        {
            await incidents.MarkAlertAsync(Id, Urutan, Benar, Viewer.Nip, HttpContext.RequestAborted);
            return null!;
        }, "Penilaian disimpan.");

    public Task<IActionResult> OnPostGabungAsync() =>
        ChangeAsync("gabung", async version =>
        {
            var sources = new List<long>();
            foreach (var part in (Sumber ?? "").Split([',', ' '], StringSplitOptions.RemoveEmptyEntries))
            {
                if (!long.TryParse(part.TrimStart('#'), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var other))
                {
                    throw new SpbeException(SocErrors.IncidentInvalid, "tulis nomor insiden yang digabung, dipisah koma");
                }

                var (exists, opd, _) = await incidents.OwnerAsync(other, HttpContext.RequestAborted);
                if (exists && !Viewer.MaySee(opd))
                {
                    throw new SpbeException(SocErrors.IncidentForbidden, $"insiden {other} milik OPD lain");
                }

                sources.Add(other);
            }

            return await incidents.MergeAsync(Id, version, sources, Viewer.Nip, HttpContext.RequestAborted);
        }, "Insiden digabungkan.", analystOnly: true);

    public Task<IActionResult> OnPostPecahAsync() =>
        ChangeAsync("pecah", async version =>
        {
            var split = await incidents.SplitAsync(Id, version, Pecah, Viewer.Nip, HttpContext.RequestAborted);
            Message = $"Peringatan dipecah ke insiden #{split.Id}.";
            return split;
        }, null, analystOnly: true);

    /// <summary>Downloads evidence: opaque bytes to save, never shown inline (it may be hostile).</summary>
    public async Task<IActionResult> OnGetLampiranAsync(string? sha)
    {
        var refused = await LoadAsync();
        if (refused is not null)
        {
            return refused;
        }

        if (sha is null || Detail.Attachments.FirstOrDefault(a => a.Sha256 == sha) is not { } attachment || attachments.Open(sha) is not { } stream)
        {
            return NotFound();
        }

        await IncidentAudit.RecordAsync(events, time, HttpContext, IncidentAudit.View, Viewer, $"#{Id} attachment {sha}");
        Response.Headers.XContentTypeOptions = "nosniff";
        Response.Headers.ContentSecurityPolicy = "default-src 'none'; sandbox";
        return File(stream, "application/octet-stream", attachment.Name);
    }

    public Task<IActionResult> OnPostTandatanganAsync() =>
        ChangeAsync("laporan-tte", async _ =>
        {
            var reviewers = (Pemeriksa ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var naskah = await documents.SubmitAsync(Detail, IncidentDocuments.ParseKind(JenisDokumen), (Penandatangan ?? "").Trim(), reviewers, Viewer);
            NaskahUrl = $"/naskah/{naskah.Id:N}";
            return null!;
        }, "Dokumen diajukan untuk tanda tangan elektronik.");

    public Task<IActionResult> OnPostTugasBaruAsync() =>
        ChangeAsync("tugas", async _ =>
        {
            await incidents.AddTaskAsync(Id, Tugas ?? "", Viewer.Nip, HttpContext.RequestAborted);
            return null!;
        }, "Tugas ditambahkan.");

    public Task<IActionResult> OnPostTugasAsync() =>
        ChangeAsync("tugas-selesai", async _ =>
        {
            await incidents.SetTaskDoneAsync(Id, TugasId, TugasSelesai, Viewer.Nip, HttpContext.RequestAborted);
            return null!;
        }, "Tugas diperbarui.");

    public Task<IActionResult> OnPostLampiranAsync() =>
        ChangeAsync("lampiran", async _ =>
        {
            var file = Berkas ?? throw new SpbeException(SocErrors.IncidentInvalid, "pilih berkas yang akan dilampirkan");
            await IncidentEndpoints.AttachFileAsync(incidents, attachments, Id, file, Viewer.Nip, HttpContext.RequestAborted);
            return null!;
        }, "Lampiran disimpan.");

    private async Task<IActionResult> ChangeAsync(string action, Func<int, Task<Spbe.Security.Soc.Incidents.Persistence.IncidentRecord>> change, string? done, bool analystOnly = false)
    {
        // Note: the version the form was rendered with, before loading replaces it with the current one.
        var posted = Versi;
        var refused = await LoadAsync();
        if (refused is not null)
        {
            return refused;
        }

        if (!MayChange || (analystOnly && !Viewer.Analyst))
        {
            await IncidentAudit.RecordAsync(events, time, HttpContext, IncidentAudit.Change, Viewer, $"#{Id} {action} {SocErrors.IncidentForbidden}", success: false);
            return Forbid();
        }

        try
        {
            await change(posted);
            await IncidentAudit.RecordAsync(events, time, HttpContext, IncidentAudit.Change, Viewer, $"#{Id} {action}");
            Message = done ?? Message;
        }
        catch (SpbeException ex)
        {
            await IncidentAudit.RecordAsync(events, time, HttpContext, IncidentAudit.Change, Viewer, $"#{Id} {action} {ex.Code}", success: false);
            Problem = ex.Code == SocErrors.IncidentConflict
                ? $"{ex.Code}: insiden ini sudah diubah orang lain sementara Anda membukanya. Yang tampil sekarang adalah versi terbaru; periksa lalu ulangi perubahan Anda."
                : $"{ex.Code}: {ex.Message}";
            Response.StatusCode = ex.Code == SocErrors.IncidentConflict ? StatusCodes.Status409Conflict : StatusCodes.Status400BadRequest;
        }

        // Note: the page shows the incident as it is now (after the change, or as someone else left it).
        await LoadAsync();
        ModelState.Clear();
        return Page();
    }

    private async Task<IActionResult?> LoadAsync()
    {
        if (await SocViewer.ForAsync(users, await users.GetUserAsync(User)) is not { } viewer)
        {
            return Forbid();
        }

        Viewer = viewer;
        var detail = await incidents.GetAsync(Id, HttpContext.RequestAborted);
        if (detail is null)
        {
            return NotFound();
        }

        if (!viewer.MaySee(detail.Incident.Opd))
        {
            await IncidentAudit.RecordAsync(events, time, HttpContext, IncidentAudit.View, viewer, $"#{Id} {SocErrors.IncidentForbidden}", success: false);
            return Forbid();
        }

        Detail = detail;
        Versi = detail.Incident.Version;
        SlaState = sla.Evaluate(detail.Incident, time.GetUtcNow().ToUnixTimeMilliseconds());
        Runbook = runbooks.For(detail.Incident.Groups);
        MayChange = viewer.MayChange(detail.Incident.Opd, detail.Incident.Assignee);
        return null;
    }
}
