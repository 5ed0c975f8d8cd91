using System.Collections.Immutable;
using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
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
    Microsoft.AspNetCore.DataProtection.IDataProtectionProvider protection,
    UserManager<AsnUser> users,
    IOpenIddictApplicationManager applications,
    IOpenIddictAuthorizationManager authorizations,
    ISecurityEventSink events,
    TimeProvider time) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    /// <summary>The request as the authorization endpoint validated it (binding, client, scopes), sealed.</summary>
    [BindProperty(SupportsGet = true)]
    public string? P { get; set; }

    private string _binding = string.Empty;

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
        var marker = Microsoft.AspNetCore.DataProtection.DataProtectionAdvancedExtensions.Protect(
            Endpoints.SsoEndpoints.ConsentProtector(protection), (allowed ? "granted" : "denied") + "\n" + _binding, TimeSpan.FromMinutes(10));
        var back = ReturnUrl + (ReturnUrl!.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "spbe_consent=" + Uri.EscapeDataString(marker);
        if (!allowed)
        {
            // Note: the authorization endpoint answers access_denied to the application when it sees this marker.
            return LocalRedirect(back);
        }

        var identity = new ClaimsIdentity("Spbe.Security.Sso", Claims.Name, Claims.Role);
        identity.SetClaim(Claims.Subject, user.Id.ToString()).SetScopes(Scopes);
        await authorizations.CreateAsync(new ClaimsPrincipal(identity), user.Id.ToString(), (await applications.GetIdAsync(application))!,
            AuthorizationTypes.Permanent, Scopes);
        return LocalRedirect(back);
    }

    public static string Describe(string scope) => scope switch
    {
        OpenIddictConstants.Scopes.Profile => "Identitas dasar (nama, NIP, jabatan)",
        OpenIddictConstants.Scopes.Email => "Alamat email",
        SsoDefaults.OpdScope => "OPD tempat Anda bertugas",
        OpenIddictConstants.Scopes.Roles => "Peran Anda",
        OpenIddictConstants.Scopes.OfflineAccess => "Akses tanpa kehadiran Anda (refresh token)",
        SsoDefaults.AdminScope => "Administrasi akun dan aplikasi SSO atas nama Anda",
        SsoDefaults.SocScope => "Membaca log keamanan (SOC) yang boleh Anda lihat",
        _ => scope,
    };

    private async Task<object?> LoadAsync()
    {
        // Note: only a local authorization-endpoint URL is accepted as the way back, and only with the sealed request.
        if (!Url.IsLocalUrl(ReturnUrl) || !ReturnUrl.StartsWith(SsoDefaults.AuthorizationPath + "?", StringComparison.Ordinal) || string.IsNullOrEmpty(P))
        {
            return null;
        }

        string[] sealedRequest;
        try
        {
            sealedRequest = Microsoft.AspNetCore.DataProtection.DataProtectionAdvancedExtensions.Unprotect(Endpoints.SsoEndpoints.ConsentProtector(protection), P, out _).Split('\n');
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return null;
        }

        if (sealedRequest.Length != 3 || await applications.FindByClientIdAsync(sealedRequest[1]) is not { } application)
        {
            return null;
        }

        _binding = sealedRequest[0];
        ClientName = await applications.GetLocalizedDisplayNameAsync(application) ?? sealedRequest[1];
        Scopes = [.. sealedRequest[2].Split(' ', StringSplitOptions.RemoveEmptyEntries)];
        return application;
    }
}
