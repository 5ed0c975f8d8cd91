using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using Spbe.Security.Identity.Accounts;
using Spbe.Security.Identity.Events;
using Spbe.Security.Identity.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Spbe.Security.Host.Pages;

/// <summary>
/// The device verification page (RFC 8628): a signed-in user types the code a device shows, sees which application
/// asks for what, and allows or denies it. OpenIddict has already checked the code when this page runs.
/// </summary>
[Authorize]
public sealed class PerangkatModel(
    UserManager<AsnUser> users,
    SsoPrincipalFactory principals,
    IOpenIddictApplicationManager applications,
    ISecurityEventSink events,
    TimeProvider time) : PageModel
{
    private const string Scheme = OpenIddictServerAspNetCoreDefaults.AuthenticationScheme;

    public string? UserCode { get; private set; }

    public string? ClientName { get; private set; }

    public IReadOnlyList<string> Scopes { get; private set; } = [];

    public bool Unknown { get; private set; }

    public bool Done { get; private set; }

    public async Task<IActionResult> OnGetAsync()
    {
        UserCode = HttpContext.GetOpenIddictServerRequest()?.UserCode;
        if (string.IsNullOrEmpty(UserCode))
        {
            return Page();
        }

        var device = await HttpContext.AuthenticateAsync(Scheme);
        if (!device.Succeeded || device.Principal.GetClaim(Claims.ClientId) is not { } clientId
            || await applications.FindByClientIdAsync(clientId) is not { } application)
        {
            Unknown = true;
            return Page();
        }

        ClientName = await applications.GetLocalizedDisplayNameAsync(application) ?? clientId;
        Scopes = [.. device.Principal.GetScopes().Where(s => s != OpenIddictConstants.Scopes.OpenId)];
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string decision)
    {
        var device = await HttpContext.AuthenticateAsync(Scheme);
        var user = await users.GetUserAsync(User);
        if (!device.Succeeded || device.Principal.GetClaim(Claims.ClientId) is not { } clientId || user is not { Disabled: false })
        {
            Unknown = true;
            return Page();
        }

        var allowed = decision == "izinkan";
        await events.WriteAsync(new SecurityEvent(time.GetUtcNow(), SecurityEventActions.Consent, allowed ? "success" : "failure",
            UserName: user.Nip, SourceIp: HttpContext.Connection.RemoteIpAddress?.ToString(), ClientId: clientId, Opd: user.OpdCode,
            Reason: allowed ? "device allowed" : "device denied"));
        var done = new AuthenticationProperties { RedirectUri = "/perangkat?selesai=1" };
        if (!allowed)
        {
            return Forbid(done, Scheme);
        }

        var identity = await principals.CreateForUserAsync(user, device.Principal.GetScopes(),
            User.FindAll("amr").Select(c => c.Value), SpbeSignInManager.AuthenticatedAt(User));
        identity.SetAudiences(SsoPrincipalFactory.AudiencesFor(clientId, device.Principal.GetScopes()));
        return SignIn(new System.Security.Claims.ClaimsPrincipal(identity), done, Scheme);
    }
}
