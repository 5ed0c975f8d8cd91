using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Spbe.Security.Host.Soc;
using Spbe.Security.Identity.Events;
using Spbe.Security.Soc;
using Spbe.Security.Soc.Incidents;
using Spbe.Security.Soc.Incidents.Persistence;

namespace Spbe.Security.Host.Endpoints;

/// <summary>
/// Incidents over HTTP, for everything the console does: <c>GET /api/soc/incidents</c> (filters <c>status</c>,
/// <c>severity</c>, <c>opd</c>, <c>assignee</c>, <c>q</c>, <c>open</c>, <c>page</c>), <c>GET /api/soc/incidents/{id}</c>, and
/// <c>POST</c> <c>…/{id}/acknowledge</c>, <c>…/status</c>, <c>…/assign</c>, <c>…/edit</c>, <c>…/notes</c>, <c>…/merge</c>,
/// <c>…/split</c>, <c>…/alerts/{sequence}/verdict</c>. A bearer token with the <c>spbe.soc</c> scope; who sees and changes
/// what is <see cref="SocViewer"/>'s rule, checked on every call; changes carry the version they were made on, and a
/// stale one is refused (409, SOC-0602) rather than overwriting someone else's change.
/// </summary>
internal static class IncidentEndpoints
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter() },
    };

    /// <summary>The OpenAPI tag of these endpoints.</summary>
    public const string Tag = "Insiden";

    public static IEndpointRouteBuilder MapIncidentEndpoints(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var group = endpoints.MapGroup("/api/soc/incidents").AllowAnonymous().DisableAntiforgery().WithTags(Tag)
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden);
        group.MapGet("", ListAsync).WithSummary("Incidents the caller may see, newest first")
            .WithDescription("Filters: status, severity, opd, assignee, q (title and observables), open=true, page, page_size (1-200).")
            .Produces<IncidentListDto>().ProducesProblem(StatusCodes.Status400BadRequest);
        group.MapGet("/{id:long}", GetAsync).WithSummary("One incident with its alerts, timeline, tasks and attachments")
            .Produces<IncidentDetailDto>().ProducesProblem(StatusCodes.Status404NotFound);
        Change(group.MapPost("/{id:long}/acknowledge", (HttpContext c, long id) => ChangeAsync(c, id, (s, v, b) => Maybe(s.AcknowledgeAsync(id, b.Version, v.Nip, c.RequestAborted)))),
            "Acknowledge (Baru to Triase): version", returnsIncident: true);
        Change(group.MapPost("/{id:long}/status", (HttpContext c, long id) => ChangeAsync(c, id, (s, v, b) =>
            Maybe(s.MoveAsync(id, b.Version, ParseStatus(b.Status), b.Reason, v.Nip, c.RequestAborted)))),
            "Move through the workflow: version, status, reason", returnsIncident: true);
        Change(group.MapPost("/{id:long}/assign", (HttpContext c, long id) => ChangeAsync(c, id, (s, v, b) =>
            Maybe(s.AssignAsync(id, b.Version, string.IsNullOrEmpty(b.Assignee) ? null : b.Assignee, v.Nip, c.RequestAborted)))),
            "Assign to a NIP, or unassign with an empty assignee: version, assignee", returnsIncident: true);
        Change(group.MapPost("/{id:long}/edit", (HttpContext c, long id) => ChangeAsync(c, id, (s, v, b) =>
            Maybe(s.EditAsync(id, b.Version, b.Title, b.Severity is null ? null : ParseSeverity(b.Severity), v.Nip, c.RequestAborted)))),
            "Change the title or severity: version, title, severity", returnsIncident: true);
        Change(group.MapPost("/{id:long}/merge", (HttpContext c, long id) => ChangeAsync(c, id, (s, v, b) =>
            Maybe(s.MergeAsync(id, b.Version, b.Sources ?? [], v.Nip, c.RequestAborted)), analystOnly: true)),
            "Merge other incidents of the same OPD into this one (CSIRT only): version, sources", returnsIncident: true);
        Change(group.MapPost("/{id:long}/split", (HttpContext c, long id) => ChangeAsync(c, id, (s, v, b) =>
            Maybe(s.SplitAsync(id, b.Version, b.Alerts ?? [], v.Nip, c.RequestAborted)), analystOnly: true)),
            "Split linked alerts off into a new incident (CSIRT only): version, alerts; answers the new incident", returnsIncident: true);
        Change(group.MapPost("/{id:long}/notes", (HttpContext c, long id) => ChangeAsync(c, id, async (s, v, b) =>
        {
            await s.AddNoteAsync(id, b.Text ?? "", v.Nip, c.RequestAborted);
            return null;
        })), "Add a note to the timeline: text");
        Change(group.MapPost("/{id:long}/alerts/{sequence:long}/verdict", (HttpContext c, long id, long sequence) => ChangeAsync(c, id, async (s, v, b) =>
        {
            await s.MarkAlertAsync(id, sequence, b.TruePositive ?? throw new SpbeException(SocErrors.IncidentInvalid, "give true_positive: true or false"), v.Nip, c.RequestAborted);
            return null;
        })), "Judge a linked alert a true or false positive: true_positive");
        Change(group.MapPost("/{id:long}/tasks", (HttpContext c, long id) => ChangeAsync(c, id, async (s, v, b) =>
        {
            await s.AddTaskAsync(id, b.Title ?? "", v.Nip, c.RequestAborted);
            return null;
        })), "Add a task: title");
        Change(group.MapPost("/{id:long}/tasks/{task:long}/done", (HttpContext c, long id, long task) => ChangeAsync(c, id, async (s, v, b) =>
        {
            await s.SetTaskDoneAsync(id, task, b.Done ?? true, v.Nip, c.RequestAborted);
            return null;
        })), "Mark a task done, or open again with done false: done");
        group.MapPost("/{id:long}/attachments", AttachAsync).WithSummary("Attach evidence (multipart/form-data, field 'file', at most 20 MiB), kept by its SHA-256")
            .AddOpenApiOperationTransformer((operation, context, cancellationToken) => SocOpenApi.RequestBodyAsync(operation, context, "multipart/form-data", null, cancellationToken))
            .Produces<AttachmentDto>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/{id:long}/attachments/{sha256}", DownloadAsync).WithSummary("Download evidence, always as bytes to save (never shown inline)")
            .Produces(StatusCodes.Status200OK, contentType: "application/octet-stream").ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/{id:long}/report", ReportAsync)
            .WithSummary("The report to DISKOMINFO (kind=laporan) or the note to the mayor (kind=nota) as an unsigned PDF (report/sign sends it for signature)")
            .Produces(StatusCodes.Status200OK, contentType: "application/pdf").ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/{id:long}/report/sign", SubmitReportAsync)
            .WithSummary("Send the report or note to the TTE naskah dinas workflow: reviewers give their paraf in order, then the signer signs with their passphrase")
            .AddOpenApiOperationTransformer((operation, context, cancellationToken) => SocOpenApi.RequestBodyAsync(operation, context, "application/json", typeof(ReportSubmissionDto), cancellationToken))
            .Produces<ReportSubmittedDto>(StatusCodes.Status201Created).ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/export", ExportAsync)
            .WithSummary("Closed incidents for audit: from and to are dates (YYYY-MM-DD, UTC, to excluded; the last 31 days by default), format csv or ndjson (with timelines)")
            .Produces(StatusCodes.Status200OK, contentType: "text/csv").Produces(StatusCodes.Status200OK, contentType: "application/x-ndjson").ProducesProblem(StatusCodes.Status400BadRequest);
        endpoints.MapGet("/api/soc/sla", SlaStatsAsync).AllowAnonymous().WithTags(Tag)
            .WithSummary("MTTA, MTTR, breaches and SLA compliance per OPD and month")
            .WithDescription("from and to: months as YYYY-MM (city time, both included; the last twelve months by default).")
            .Produces<SlaReportDto>().ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden);
        return endpoints;
    }

    /// <summary>What every change endpoint declares: its JSON body, and its answers (the changed incident or 204; 400 for a
    /// change the workflow refuses, 404, and 409 for a stale version).</summary>
    private static void Change(RouteHandlerBuilder endpoint, string summary, bool returnsIncident = false)
    {
        // Note: the body is described for the document only (an Accepts would let routing answer other media types with a
        // bare 415 instead of the handler's problem document with its code).
        endpoint.WithSummary(summary)
            .AddOpenApiOperationTransformer((operation, context, cancellationToken) => SocOpenApi.RequestBodyAsync(operation, context, "application/json", typeof(IncidentChangeDto), cancellationToken))
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        _ = returnsIncident ? endpoint.Produces<IncidentSummaryDto>() : endpoint.Produces(StatusCodes.Status204NoContent);
    }

    private static IResult Error(SpbeException ex) => ex.Code switch
    {
        SocErrors.IncidentNotFound => SocEndpoints.Problem(StatusCodes.Status404NotFound, ex.Code, ex.Message),
        SocErrors.IncidentConflict => SocEndpoints.Problem(StatusCodes.Status409Conflict, ex.Code, ex.Message),
        _ => SocEndpoints.Problem(StatusCodes.Status400BadRequest, ex.Code, ex.Message),
    };

    private static async Task<IResult> ListAsync(HttpContext context, IncidentService incidents, ISecurityEventSink events, TimeProvider time)
    {
        var (viewer, error) = await SocEndpoints.ViewerAsync(context);
        if (viewer is null)
        {
            return error!;
        }

        var q = context.Request.Query;
        string? Text(string name) => q[name].ToString() is { Length: > 0 } value ? value : null;
        IncidentFilter filter;
        try
        {
            var opd = Text("opd");
            if (opd is not null && !viewer.MaySee(opd))
            {
                await IncidentAudit.RecordAsync(events, time, context, IncidentAudit.List, viewer, SocErrors.IncidentForbidden, success: false);
                return SocEndpoints.Problem(StatusCodes.Status403Forbidden, SocErrors.IncidentForbidden, $"you may see only the incidents of {viewer.User.OpdCode}");
            }

            filter = new IncidentFilter
            {
                Scope = viewer.Scope,
                Opd = opd,
                Status = Text("status") is { } status ? ParseStatus(status) : null,
                OpenOnly = Text("open") is "true" or "1",
                Severity = Text("severity") is { } severity ? ParseSeverity(severity) : null,
                Assignee = Text("assignee"),
                Text = Text("q"),
                Page = Text("page") is { } page ? int.Parse(page, NumberStyles.None, CultureInfo.InvariantCulture) : 1,
                PageSize = Text("page_size") is { } size ? int.Parse(size, NumberStyles.None, CultureInfo.InvariantCulture) : 50,
            };
        }
        catch (Exception ex) when (ex is FormatException or OverflowException)
        {
            return SocEndpoints.Problem(StatusCodes.Status400BadRequest, SocErrors.IncidentInvalid, "page and page_size must be whole numbers");
        }
        catch (SpbeException ex)
        {
            return Error(ex);
        }

        var result = await incidents.ListAsync(filter, context.RequestAborted);
        await IncidentAudit.RecordAsync(events, time, context, IncidentAudit.List, viewer, string.Create(CultureInfo.InvariantCulture, $"page {result.Page}, {result.Items.Count} of {result.Total}"));
        context.Response.Headers.CacheControl = "no-store";
        var sla = context.RequestServices.GetRequiredService<IncidentSla>();
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        return Results.Json(new IncidentListDto(result.Total, result.Page, result.PageSize, [.. result.Items.Select(i => IncidentSummaryDto.From(i, sla.Evaluate(i, now)))]), Json);
    }

    /// <summary>The viewer and the incident when the caller may see it; else the refusal (audited): 404 when there is none,
    /// 403 when it is another OPD's, neither carrying anything of its content.</summary>
    private static async Task<(SocViewer? Viewer, IncidentDetail Detail, IResult? Refusal)> ReadableAsync(
        HttpContext context, long id, IncidentService incidents, ISecurityEventSink events, TimeProvider time, string what)
    {
        var (viewer, error) = await SocEndpoints.ViewerAsync(context);
        if (viewer is null)
        {
            return (null, null!, error);
        }

        var detail = await incidents.GetAsync(id, context.RequestAborted);
        if (detail is not null && viewer.MaySee(detail.Incident.Opd))
        {
            return (viewer, detail, null);
        }

        await IncidentAudit.RecordAsync(events, time, context, IncidentAudit.View, viewer, $"#{id}{what} {(detail is null ? SocErrors.IncidentNotFound : SocErrors.IncidentForbidden)}", success: false);
        return (null, null!, detail is null
            ? SocEndpoints.Problem(StatusCodes.Status404NotFound, SocErrors.IncidentNotFound, $"there is no incident {id}")
            : SocEndpoints.Problem(StatusCodes.Status403Forbidden, SocErrors.IncidentForbidden, $"incident {id} belongs to another OPD"));
    }

    private static async Task<IResult> GetAsync(HttpContext context, long id, IncidentService incidents, ISecurityEventSink events, TimeProvider time)
    {
        var (viewer, detail, refusal) = await ReadableAsync(context, id, incidents, events, time, "");
        if (viewer is null)
        {
            return refusal!;
        }

        await IncidentAudit.RecordAsync(events, time, context, IncidentAudit.View, viewer, $"#{id}");
        context.Response.Headers.CacheControl = "no-store";
        var sla = context.RequestServices.GetRequiredService<IncidentSla>();
        return Results.Json(IncidentDetailDto.From(detail, viewer, sla.Evaluate(detail.Incident, time.GetUtcNow().ToUnixTimeMilliseconds())), Json);
    }

    /// <summary>Whether the caller may change incident <paramref name="id"/>: the viewer, or the refusal (audited).</summary>
    private static async Task<(SocViewer? Viewer, IResult? Refusal)> MayChangeAsync(HttpContext context, long id, string action, bool analystOnly = false)
    {
        var services = context.RequestServices;
        var incidents = services.GetRequiredService<IncidentService>();
        var (viewer, error) = await SocEndpoints.ViewerAsync(context);
        if (viewer is null)
        {
            return (null, error!);
        }

        var (found, opd, assignee) = await incidents.OwnerAsync(id, context.RequestAborted);
        if (!found)
        {
            return (null, SocEndpoints.Problem(StatusCodes.Status404NotFound, SocErrors.IncidentNotFound, $"there is no incident {id}"));
        }

        if (!viewer.MaySee(opd) || !viewer.MayChange(opd, assignee) || (analystOnly && !viewer.Analyst))
        {
            await IncidentAudit.RecordAsync(services.GetRequiredService<ISecurityEventSink>(), services.GetRequiredService<TimeProvider>(), context, IncidentAudit.Change, viewer,
                $"#{id} {action} {SocErrors.IncidentForbidden}", success: false);
            return (null, SocEndpoints.Problem(StatusCodes.Status403Forbidden, SocErrors.IncidentForbidden, viewer.MaySee(opd)
                ? "you may read this incident but not change it (it is not assigned to you)"
                : $"incident {id} belongs to another OPD"));
        }

        return (viewer, null);
    }

    private static async Task<IResult> ChangeAsync(
        HttpContext context, long id, Func<IncidentService, SocViewer, IncidentChangeDto, Task<IncidentRecord?>> change, bool analystOnly = false)
    {
        var services = context.RequestServices;
        var incidents = services.GetRequiredService<IncidentService>();
        var events = services.GetRequiredService<ISecurityEventSink>();
        var time = services.GetRequiredService<TimeProvider>();
        var segments = context.Request.Path.Value?.Split('/') ?? [];
        var action = segments.Length > 2 && segments[^1] == "done" ? "task-done" : segments.Length > 0 ? segments[^1] : "change";
        var (viewer, refusal) = await MayChangeAsync(context, id, action, analystOnly);
        if (viewer is null)
        {
            return refusal!;
        }

        IncidentChangeDto body;
        try
        {
            body = context.Request.ContentLength is 0 or null && !context.Request.Headers.TransferEncoding.Any()
                ? new IncidentChangeDto()
                : await context.Request.ReadFromJsonAsync<IncidentChangeDto>(Json, context.RequestAborted) ?? new IncidentChangeDto();
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or BadHttpRequestException)
        {
            return SocEndpoints.Problem(StatusCodes.Status400BadRequest, SocErrors.IncidentInvalid, "the body must be a JSON object (application/json)");
        }

        if (analystOnly && (body.Sources ?? body.Alerts ?? []).Count > 1_000)
        {
            return SocEndpoints.Problem(StatusCodes.Status400BadRequest, SocErrors.IncidentInvalid, "at most 1000 incidents or alerts at once");
        }

        try
        {
            if (analystOnly && body.Sources is { } sources)
            {
                // Note: merging takes the other incidents too; each must be one the viewer may see.
                foreach (var other in sources)
                {
                    var (exists, otherOpd, _) = await incidents.OwnerAsync(other, context.RequestAborted);
                    if (exists && !viewer.MaySee(otherOpd))
                    {
                        return SocEndpoints.Problem(StatusCodes.Status403Forbidden, SocErrors.IncidentForbidden, $"incident {other} belongs to another OPD");
                    }
                }
            }

            var changed = await change(incidents, viewer, body);
            await IncidentAudit.RecordAsync(events, time, context, IncidentAudit.Change, viewer, $"#{id} {action}");
            if (changed is null)
            {
                return Results.NoContent();
            }

            return Results.Json(IncidentSummaryDto.From(changed, null), Json);
        }
        catch (SpbeException ex)
        {
            await IncidentAudit.RecordAsync(events, time, context, IncidentAudit.Change, viewer, $"#{id} {action} {ex.Code}", success: false);
            return Error(ex);
        }
    }

    /// <summary>Attaches evidence: a multipart form with one file (<c>file</c>), kept by its SHA-256.</summary>
    private static async Task<IResult> AttachAsync(HttpContext context, long id, IncidentService incidents, IncidentAttachmentStore store, ISecurityEventSink events, TimeProvider time)
    {
        var (viewer, refusal) = await MayChangeAsync(context, id, "attachments");
        if (viewer is null)
        {
            return refusal!;
        }

        try
        {
            if (!context.Request.HasFormContentType || (await context.Request.ReadFormAsync(context.RequestAborted)).Files.GetFile("file") is not { } file)
            {
                throw new SpbeException(SocErrors.IncidentInvalid, "send the file as multipart/form-data in a field named 'file'");
            }

            var attachment = await AttachFileAsync(incidents, store, id, file, viewer.Nip, context.RequestAborted);
            await IncidentAudit.RecordAsync(events, time, context, IncidentAudit.Change, viewer, $"#{id} attachments {attachment.Sha256}");
            return Results.Json(AttachmentDto.From(attachment), Json, statusCode: StatusCodes.Status201Created);
        }
        catch (SpbeException ex)
        {
            await IncidentAudit.RecordAsync(events, time, context, IncidentAudit.Change, viewer, $"#{id} attachments {ex.Code}", success: false);
            return Error(ex);
        }
        catch (Exception ex) when (ex is InvalidDataException or BadHttpRequestException)
        {
            return SocEndpoints.Problem(StatusCodes.Status400BadRequest, SocErrors.IncidentInvalid, "the form could not be read (too large or malformed)");
        }
    }

    /// <summary>Stores <paramref name="file"/> and records it on the incident (the console's form uses this too).</summary>
    internal static async Task<IncidentAttachmentRecord> AttachFileAsync(IncidentService incidents, IncidentAttachmentStore store, long id, IFormFile file, string actor, CancellationToken cancellationToken)
    {
        if (file.Length > IncidentLimits.AttachmentBytes)
        {
            throw new SpbeException(SocErrors.IncidentInvalid, $"an attachment may be at most {IncidentLimits.AttachmentBytes / (1024 * 1024)} MiB");
        }

        // Note: the incident must exist and have room before anything is written, so refused uploads leave no files.
        await incidents.EnsureAttachmentRoomAsync(id, cancellationToken);
        await using var content = file.OpenReadStream();
        var (sha256, size) = await store.SaveAsync(content, cancellationToken);
        return await incidents.AddAttachmentAsync(id, sha256, file.FileName, size, actor, cancellationToken);
    }

    /// <summary>Downloads an attachment: always as opaque bytes to save, never shown inline (it may be hostile).</summary>
    private static async Task<IResult> DownloadAsync(HttpContext context, long id, string sha256, IncidentService incidents, IncidentAttachmentStore store, ISecurityEventSink events, TimeProvider time)
    {
        var (viewer, error) = await SocEndpoints.ViewerAsync(context);
        if (viewer is null)
        {
            return error!;
        }

        var (found, opd, _) = await incidents.OwnerAsync(id, context.RequestAborted);
        if (!found || !viewer.MaySee(opd))
        {
            await IncidentAudit.RecordAsync(events, time, context, IncidentAudit.View, viewer, $"#{id} attachment {(found ? SocErrors.IncidentForbidden : SocErrors.IncidentNotFound)}", success: false);
            return found
                ? SocEndpoints.Problem(StatusCodes.Status403Forbidden, SocErrors.IncidentForbidden, $"incident {id} belongs to another OPD")
                : SocEndpoints.Problem(StatusCodes.Status404NotFound, SocErrors.IncidentNotFound, $"there is no incident {id}");
        }

        if (await incidents.FindAttachmentAsync(id, sha256, context.RequestAborted) is not { } attachment || store.Open(sha256) is not { } stream)
        {
            return SocEndpoints.Problem(StatusCodes.Status404NotFound, SocErrors.IncidentNotFound, $"incident {id} has no such attachment");
        }

        await IncidentAudit.RecordAsync(events, time, context, IncidentAudit.View, viewer, $"#{id} attachment {sha256}");
        context.Response.Headers.XContentTypeOptions = "nosniff";
        context.Response.Headers.ContentSecurityPolicy = "default-src 'none'; sandbox";
        context.Response.Headers.CacheControl = "no-store";
        return Results.File(stream, "application/octet-stream", attachment.Name);
    }

    /// <summary>SLA figures per OPD and month: <c>?from=2026-01&amp;to=2026-12</c> (months of opening, city time; the last
    /// twelve months by default).</summary>
    private static async Task<IResult> SlaStatsAsync(HttpContext context, IncidentSla sla, Microsoft.Extensions.Options.IOptions<SocOptions> options, ISecurityEventSink events, TimeProvider time)
    {
        var (viewer, error) = await SocEndpoints.ViewerAsync(context);
        if (viewer is null)
        {
            return error!;
        }

        var zone = TimeZoneInfo.FindSystemTimeZoneById(options.Value.SourceTimeZone);
        if (!TryMonths(context.Request.Query["from"], context.Request.Query["to"], time.GetUtcNow(), zone, out var from, out var to))
        {
            return SocEndpoints.Problem(StatusCodes.Status400BadRequest, SocErrors.IncidentInvalid, "from and to must be months as YYYY-MM, from not after to, at most 60 months");
        }

        var rows = await sla.StatsAsync(viewer.Scope, from, to, zone, context.RequestAborted);
        await IncidentAudit.RecordAsync(events, time, context, IncidentAudit.List, viewer, "sla");
        context.Response.Headers.CacheControl = "no-store";
        return Results.Json(new SlaReportDto(
            from.ToString("yyyy-MM", CultureInfo.InvariantCulture),
            to.AddDays(-1).ToString("yyyy-MM", CultureInfo.InvariantCulture),
            [.. Enum.GetValues<IncidentSeverity>().Select(s => new SlaTargetDto(s, (long)sla.Policy.For(s).Acknowledge.TotalSeconds, (long)sla.Policy.For(s).Resolve.TotalSeconds))],
            [.. rows.Select(r => new SlaRowDto(
                r.Opd, string.Create(CultureInfo.InvariantCulture, $"{r.Year:0000}-{r.Month:00}"), r.Opened,
                r.Acknowledged, r.MeanTimeToAcknowledge is { } a ? Math.Round(a.TotalSeconds) : null,
                r.Resolved, r.MeanTimeToResolve is { } m ? Math.Round(m.TotalSeconds) : null,
                r.AcknowledgeBreaches, r.ResolveBreaches, Math.Round(r.Compliance, 4)))]), Json);
    }

    /// <summary>Reads a month range (<c>YYYY-MM</c>, both ends included), the last twelve months by default, as the start of
    /// the first month and the start of the month after the last, in <paramref name="zone"/>.</summary>
    internal static bool TryMonths(string? fromText, string? toText, DateTimeOffset now, TimeZoneInfo zone, out DateTimeOffset from, out DateTimeOffset to)
    {
        var local = TimeZoneInfo.ConvertTime(now, zone);
        var thisMonth = new DateTime(local.Year, local.Month, 1, 0, 0, 0, DateTimeKind.Unspecified);
        from = to = default;
        DateTime first, last;
        if (string.IsNullOrEmpty(fromText))
        {
            first = thisMonth.AddMonths(-11);
        }
        else if (!DateTime.TryParseExact(fromText, "yyyy-MM", CultureInfo.InvariantCulture, DateTimeStyles.None, out first))
        {
            return false;
        }

        if (string.IsNullOrEmpty(toText))
        {
            last = thisMonth;
        }
        else if (!DateTime.TryParseExact(toText, "yyyy-MM", CultureInfo.InvariantCulture, DateTimeStyles.None, out last))
        {
            return false;
        }

        if (first > last || first < last.AddMonths(-59))
        {
            return false;
        }

        from = new DateTimeOffset(first, zone.GetUtcOffset(first));
        var end = last.AddMonths(1);
        to = new DateTimeOffset(end, zone.GetUtcOffset(end));
        return true;
    }

    private static async Task<IResult> ReportAsync(HttpContext context, long id, IncidentService incidents, IncidentDocuments documents, ISecurityEventSink events, TimeProvider time)
    {
        var (viewer, detail, refusal) = await ReadableAsync(context, id, incidents, events, time, " report");
        if (viewer is null)
        {
            return refusal!;
        }

        try
        {
            var (pdf, name, _) = await documents.WriteAsync(detail, IncidentDocuments.ParseKind(context.Request.Query["kind"]), null, viewer.Nip);
            await IncidentAudit.RecordAsync(events, time, context, IncidentAudit.View, viewer, $"#{id} report {name}");
            context.Response.Headers.CacheControl = "no-store";
            return Results.File(pdf, "application/pdf", name);
        }
        catch (SpbeException ex)
        {
            return Error(ex);
        }
    }

    private static async Task<IResult> SubmitReportAsync(HttpContext context, long id, IncidentService incidents, IncidentDocuments documents, ISecurityEventSink events, TimeProvider time)
    {
        var (viewer, refusal) = await MayChangeAsync(context, id, "report-sign");
        if (viewer is null)
        {
            return refusal!;
        }

        try
        {
            var body = await context.Request.ReadFromJsonAsync<ReportSubmissionDto>(Json, context.RequestAborted)
                ?? throw new SpbeException(SocErrors.IncidentInvalid, "the body must be a JSON object");
            var detail = await incidents.GetAsync(id, context.RequestAborted) ?? throw new SpbeException(SocErrors.IncidentNotFound, $"there is no incident {id}");
            var naskah = await documents.SubmitAsync(detail, IncidentDocuments.ParseKind(body.Kind), body.Signer ?? "", body.Reviewers ?? [], viewer);
            await IncidentAudit.RecordAsync(events, time, context, IncidentAudit.Change, viewer, $"#{id} report-sign {naskah.Id:N}");
            return Results.Json(new ReportSubmittedDto(naskah.Id.ToString("N"), $"/naskah/{naskah.Id:N}", naskah.Sha256), Json, statusCode: StatusCodes.Status201Created);
        }
        catch (SpbeException ex)
        {
            await IncidentAudit.RecordAsync(events, time, context, IncidentAudit.Change, viewer, $"#{id} report-sign {ex.Code}", success: false);
            return Error(ex);
        }
        catch (Exception ex) when (ex is JsonException or BadHttpRequestException)
        {
            return SocEndpoints.Problem(StatusCodes.Status400BadRequest, SocErrors.IncidentInvalid, "the body must be a JSON object (application/json)");
        }
    }

    private static async Task<IResult> ExportAsync(HttpContext context, IncidentService incidents, ISecurityEventSink events, TimeProvider time)
    {
        var (viewer, error) = await SocEndpoints.ViewerAsync(context);
        if (viewer is null)
        {
            return error!;
        }

        var q = context.Request.Query;
        if (!TryExportRange(q["from"], q["to"], time.GetUtcNow(), out var from, out var to) || q["format"].ToString() is not ("" or "csv" or "ndjson"))
        {
            return SocEndpoints.Problem(StatusCodes.Status400BadRequest, SocErrors.IncidentInvalid, "from and to are dates (YYYY-MM-DD), from before to, at most 3 years; format is csv or ndjson");
        }

        await IncidentExportDownload.WriteAsync(context, viewer, incidents, events, time, from, to, ndjson: q["format"] == "ndjson");
        return Results.Empty;
    }

    /// <summary>Reads an export's dates (YYYY-MM-DD, UTC; the last 31 days by default).</summary>
    internal static bool TryExportRange(string? fromText, string? toText, DateTimeOffset now, out DateTimeOffset from, out DateTimeOffset to)
    {
        var today = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero);
        from = today.AddDays(-30);
        to = today.AddDays(1);
        if (!string.IsNullOrEmpty(fromText))
        {
            if (!DateTimeOffset.TryParseExact(fromText, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out from))
            {
                return false;
            }
        }

        if (!string.IsNullOrEmpty(toText))
        {
            if (!DateTimeOffset.TryParseExact(toText, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out to))
            {
                return false;
            }
        }

        return from < to && to - from <= TimeSpan.FromDays(3 * 366);
    }

    internal static IncidentStatus ParseStatus(string? text) =>
        Enum.TryParse<IncidentStatus>(text, ignoreCase: true, out var status) && Enum.IsDefined(status) && !int.TryParse(text, out _)
            ? status
            : throw new SpbeException(SocErrors.IncidentInvalid, "status must be one of " + string.Join(", ", Enum.GetNames<IncidentStatus>()));

    internal static IncidentSeverity ParseSeverity(string? text) =>
        Enum.TryParse<IncidentSeverity>(text, ignoreCase: true, out var severity) && Enum.IsDefined(severity) && !int.TryParse(text, out _)
            ? severity
            : throw new SpbeException(SocErrors.IncidentInvalid, "severity must be one of " + string.Join(", ", Enum.GetNames<IncidentSeverity>()));

    private static async Task<IncidentRecord?> Maybe(Task<IncidentRecord> change) => await change;
}
