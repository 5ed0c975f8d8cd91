using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using Spbe.Security.Identity;
using Spbe.Security.Identity.Accounts;
using Spbe.Security.Identity.Events;

namespace Spbe.Security.Host.Pages;

/// <summary>
/// RP-initiated logout (the end-session endpoint, after OpenIddict validated the request). With an
/// <c>id_token_hint</c> of the signed-in user the session ends at once; otherwise the user confirms with a button,
/// so that a link or image on another site cannot sign people out. Each client the user signed in to that registered
/// a back-channel logout URI is told (<see cref="BackchannelLogout"/>).
/// </summary>
[AllowAnonymous]
public sealed class KeluarModel(SignInManager<AsnUser> signIn, BackchannelLogout backchannel, ISecurityEventSink events, Sso.UiText text, TimeProvider time) : PageModel
{
    public IReadOnlyList<KeyValuePair<string, string>> Parameters { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync()
    {
        if (HttpContext.GetOpenIddictServerResponse() is { Error: not null } failure)
        {
            return ErrorContent(failure.Error, failure.ErrorDescription);
        }

        var hint = await HttpContext.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        var current = User.Identity?.IsAuthenticated == true ? signIn.UserManager.GetUserId(User) : null;
        if (current is null || hint.Principal?.GetClaim(OpenIddictConstants.Claims.Subject) == current)
        {
            return await SignOutAsync();
        }

        Parameters = [.. Request.Query.Select(p => new KeyValuePair<string, string>(p.Key, p.Value.ToString()))];
        return Page();
    }

    public async Task<IActionResult> OnPostAsync() => HttpContext.GetOpenIddictServerResponse() is { Error: not null } failure
        ? ErrorContent(failure.Error, failure.ErrorDescription)
        : await SignOutAsync();

    private ContentResult ErrorContent(string error, string? description) => new()
    {
        Content = Sso.ErrorPage.Render(error, description, text),
        ContentType = "text/html; charset=utf-8",
        StatusCode = StatusCodes.Status400BadRequest,
    };

    private async Task<IActionResult> SignOutAsync()
    {
        if (User.Identity?.IsAuthenticated == true && await signIn.UserManager.GetUserAsync(User) is { } user)
        {
            await signIn.SignOutAsync();
            await events.WriteAsync(new SecurityEvent(time.GetUtcNow(), SecurityEventActions.Logout, "success", UserName: user.Nip,
                SourceIp: HttpContext.Connection.RemoteIpAddress?.ToString(), ClientId: HttpContext.GetOpenIddictServerRequest()?.ClientId, Opd: user.OpdCode));
            await backchannel.NotifyAsync(user, new Uri($"{Request.Scheme}://{Request.Host}/"), HttpContext.RequestAborted);
        }

        // Note: OpenIddict redirects to the validated post_logout_redirect_uri, or to the page below without one.
        return SignOut(new AuthenticationProperties { RedirectUri = "/keluar/selesai" }, OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }
}
