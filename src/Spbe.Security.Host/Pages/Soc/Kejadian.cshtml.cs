using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Spbe.Security.Host.Endpoints;
using Spbe.Security.Host.Soc;
using Spbe.Security.Identity.Accounts;
using Spbe.Security.Identity.Events;
using Spbe.Security.Soc;
using Spbe.Security.Soc.Store;

namespace Spbe.Security.Host.Pages.Soc;

/// <summary>
/// Event search (<c>/soc/kejadian</c>): the same parameters as <c>GET /api/soc/events</c> (<c>q</c>, <c>opd</c>,
/// <c>host</c>, <c>program</c>, <c>min_level</c>, <c>rule</c>, <c>since</c>, <c>until</c>, <c>cursor</c>), within the
/// viewer's OPDs. Every message is log content, rendered encoded.
/// </summary>
[Authorize]
public sealed class KejadianModel(UserManager<AsnUser> users, IEventStore store, ISecurityEventSink events, TimeProvider time) : PageModel
{
    public SocViewer Viewer { get; private set; } = null!;

    public EventPage? Result { get; private set; }

    public string? Problem { get; private set; }

    /// <summary>The link to the next page: every parameter of this one (filters, <c>field.*</c>), the cursor replaced.</summary>
    public string NextPage(string cursor) =>
        "/soc/kejadian" + Microsoft.AspNetCore.Http.QueryString.Create(
            Request.Query.Where(p => p.Key != "cursor").SelectMany(p => p.Value.Select(v => new KeyValuePair<string, string?>(p.Key, v)))
                .Append(new KeyValuePair<string, string?>("cursor", cursor)));

    /// <summary>A query parameter as given (for the form and the next page's link).</summary>
    public string Param(string name) => Request.Query[name].ToString();

    public async Task<IActionResult> OnGetAsync()
    {
        if (await SocViewer.ForAsync(users, await users.GetUserAsync(User)) is not { } viewer)
        {
            return Forbid();
        }

        Viewer = viewer;
        try
        {
            var query = SocEndpoints.BuildQuery(Request.Query, viewer.Scope) with { Limit = 100 };
            Result = await store.QueryAsync(query, HttpContext.RequestAborted);
            await IncidentAudit.RecordAsync(events, time, HttpContext, "soc-event-search", viewer, $"{Result.Events.Count} kejadian");
        }
        catch (SpbeException ex) when (ex.Code == SocErrors.QueryForbidden)
        {
            await IncidentAudit.RecordAsync(events, time, HttpContext, "soc-event-search", viewer, ex.Code, success: false);
            return Forbid();
        }
        catch (SpbeException ex)
        {
            Problem = $"{ex.Code}: {ex.Message}";
        }
        catch (ArgumentException ex)
        {
            Problem = $"{SocErrors.QueryInvalid}: {ex.Message.Split(" (Parameter", 2)[0]}";
        }

        return Page();
    }
}
