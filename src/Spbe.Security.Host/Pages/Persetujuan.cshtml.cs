using System.Collections.Immutable;
using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.WebUtilities;
using OpenIddict.Abstractions;
using Spbe.Security.Identity.Accounts;
using Spbe.Security.Identity.Events;
using Spbe.Security.Identity.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Spbe.Security.Host.Pages;

/// <summary>
/// Consent for a third-party application (a client registered with explicit consent): the user sees who asks for
/// what, and allowing it records a permanent authorization for exactly the scopes shown. Only scopes the client is
/// permitted to request are ever shown or granted.
/// </summary>
[Authorize]
public sealed class PersetujuanModel(
    UserManager<AsnUser> users,
    IOpenIddictApplicationManager applications,
    IOpenIddictAuthorizationManager authorizations,
    ISecurityEventSink events,
    TimeProvider time) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public string ClientName { get; private set; } = string.Empty;

    public ImmutableArray<string> Scopes { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync() => await LoadAsync() is null ? BadRequest() : Page();

    public async Task<IActionResult> OnPostAsync(string decision)
    {
        if (await LoadAsync() is not { } application || await users.GetUserAsync(User) is not { Disabled: false } user)
        {
            return BadRequest();
        }

        var clientId = await applications.GetClientIdAsync(application);
        var allowed = decision == "izinkan";
        await events.WriteAsync(new SecurityEvent(time.GetUtcNow(), SecurityEventActions.Consent, allowed ? "success" : "failure",
            UserName: user.Nip, SourceIp: HttpContext.Connection.RemoteIpAddress?.ToString(), ClientId: clientId, Opd: user.OpdCode,
            Reason: (allowed ? "allowed: " : "denied: ") + string.Join(' ', Scopes)));
        if (!allowed)
        {
            // Note: the authorization endpoint answers access_denied to the application when it sees this marker.
            return LocalRedirect(ReturnUrl + "&spbe_consent=denied");
        }

        var identity = new ClaimsIdentity("Spbe.Security.Sso", Claims.Name, Claims.Role);
        identity.SetClaim(Claims.Subject, user.Id.ToString()).SetScopes(Scopes);
        await authorizations.CreateAsync(new ClaimsPrincipal(identity), user.Id.ToString(), (await applications.GetIdAsync(application))!,
            AuthorizationTypes.Permanent, Scopes);
        return LocalRedirect(ReturnUrl!);
    }

    public static string Describe(string scope) => scope switch
    {
        OpenIddictConstants.Scopes.Profile => "Identitas dasar (nama, NIP, jabatan)",
        OpenIddictConstants.Scopes.Email => "Alamat email",
        SsoDefaults.OpdScope => "OPD tempat Anda bertugas",
        OpenIddictConstants.Scopes.Roles => "Peran Anda",
        OpenIddictConstants.Scopes.OfflineAccess => "Akses tanpa kehadiran Anda (refresh token)",
        SsoDefaults.AdminScope => "Administrasi akun dan aplikasi SSO atas nama Anda",
        _ => scope,
    };

    private async Task<object?> LoadAsync()
    {
        // Note: only a local authorization-endpoint URL is accepted as the way back.
        if (!Url.IsLocalUrl(ReturnUrl) || !ReturnUrl.StartsWith(SsoDefaults.AuthorizationPath + "?", StringComparison.Ordinal))
        {
            return null;
        }

        var query = QueryHelpers.ParseQuery(ReturnUrl[ReturnUrl.IndexOf('?', StringComparison.Ordinal)..]);
        if (await applications.FindByClientIdAsync(query[Parameters.ClientId].ToString()) is not { } application)
        {
            return null;
        }

        ClientName = await applications.GetLocalizedDisplayNameAsync(application) ?? await applications.GetClientIdAsync(application) ?? "?";
        var requested = query[Parameters.Scope].ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var permitted = new List<string>();
        foreach (var scope in requested.Distinct(StringComparer.Ordinal))
        {
            if (scope == OpenIddictConstants.Scopes.OpenId || await applications.HasPermissionAsync(application, Permissions.Prefixes.Scope + scope))
            {
                permitted.Add(scope);
            }
        }

        Scopes = [.. permitted];
        return application;
    }
}
