using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Spbe.Security.Identity.Accounts;
using Spbe.Security.Pki.Signing.Naskah;

namespace Spbe.Security.Host.Pages.Naskah;

/// <summary>The naskah dinas an official drafted or takes part in, with those waiting for them first.</summary>
[Authorize]
public sealed class IndexModel(UserManager<AsnUser> users, NaskahWorkflow workflow) : PageModel
{
    public string Nip { get; private set; } = string.Empty;

    public IReadOnlyList<NaskahInfo> Waiting { get; private set; } = [];

    public IReadOnlyList<NaskahInfo> Others { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync()
    {
        if (await users.GetUserAsync(User) is not { Disabled: false } user)
        {
            return Challenge();
        }

        Nip = user.Nip;
        var all = await workflow.ListForAsync(user.Nip, cancellationToken: HttpContext.RequestAborted);
        Waiting = [.. all.Where(n => n.Current?.Nip == user.Nip)];
        Others = [.. all.Where(n => n.Current?.Nip != user.Nip)];
        return Page();
    }
}
