using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Spbe.Security.Host.Soc;
using Spbe.Security.Identity.Accounts;

namespace Spbe.Security.Host.Pages.Soc;

/// <summary>The runbooks in the console: the list (<c>/soc/runbook</c>) and one rendered from its Markdown
/// (<c>/soc/runbook/{nama}</c>). For anyone the SOC admits.</summary>
[Authorize]
public sealed class RunbookModel(UserManager<AsnUser> users, RunbookCatalog runbooks) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Nama { get; set; }

    public Runbook? Current { get; private set; }

    public IEnumerable<Runbook> All => runbooks.All;

    public async Task<IActionResult> OnGetAsync()
    {
        if (await SocViewer.ForAsync(users, await users.GetUserAsync(User)) is null)
        {
            return Forbid();
        }

        if (Nama is not null)
        {
            Current = runbooks.Find(Nama);
            if (Current is null)
            {
                return NotFound();
            }
        }

        return Page();
    }
}
