using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Spbe.Security.Identity.Accounts;
using Spbe.Security.Identity.Events;

namespace Spbe.Security.Host.Pages.Akun;

/// <summary>Registers a passkey for the signed-in account and lists the ones it has.</summary>
[Authorize]
public sealed class PasskeyModel(SignInManager<AsnUser> signIn, ISecurityEventSink events, TimeProvider time) : PageModel
{
    [BindProperty]
    public string? Credential { get; set; }

    public IReadOnlyList<string> Passkeys { get; private set; } = [];

    public bool Registered { get; private set; }

    public bool Failed { get; private set; }

    public async Task<IActionResult> OnGetAsync() => await LoadAsync() is null ? Challenge()
        : !Sso.SessionSignIn.IsRecent(User, time) ? RedirectToPage("/Masuk", new { ReturnUrl = Url.Page("/Akun/Passkey") }) : Page();

    /// <summary>The WebAuthn creation options for this account (JSON for <c>parseCreationOptionsFromJSON</c>).</summary>
    public async Task<IActionResult> OnPostOptionsAsync()
    {
        // Note: registering a passkey needs a recent sign-in, so a stolen session cannot attach its own.
        if (await ActiveUserAsync() is not { } user || !Sso.SessionSignIn.IsRecent(User, time))
        {
            return Challenge();
        }

        var options = await signIn.MakePasskeyCreationOptionsAsync(new PasskeyUserEntity { Id = user.Id.ToString(), Name = user.Nip, DisplayName = user.DisplayName });
        return Content(options, "application/json");
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (await ActiveUserAsync() is not { } user || !Sso.SessionSignIn.IsRecent(User, time))
        {
            return Challenge();
        }

        var attestation = string.IsNullOrEmpty(Credential) ? null : await signIn.PerformPasskeyAttestationAsync(Credential);
        if (attestation is { Succeeded: true } && (await signIn.UserManager.AddOrUpdatePasskeyAsync(user, attestation.Passkey)).Succeeded)
        {
            Registered = true;
            await events.WriteAsync(new SecurityEvent(time.GetUtcNow(), SecurityEventActions.MfaEnrolled, "success", UserName: user.Nip,
                SourceIp: HttpContext.Connection.RemoteIpAddress?.ToString(), Opd: user.OpdCode, Reason: "passkey"));
        }
        else
        {
            Failed = true;
            await events.WriteAsync(new SecurityEvent(time.GetUtcNow(), SecurityEventActions.MfaEnrolled, "failure", UserName: user.Nip,
                SourceIp: HttpContext.Connection.RemoteIpAddress?.ToString(), Opd: user.OpdCode, Reason: "passkey: " + (attestation?.Failure?.Message ?? "no credential")));
        }

        await LoadAsync();
        return Page();
    }

    private async Task<AsnUser?> ActiveUserAsync() => await signIn.UserManager.GetUserAsync(User) is { Disabled: false } user ? user : null;

    private async Task<AsnUser?> LoadAsync()
    {
        if (await ActiveUserAsync() is not { } user)
        {
            return null;
        }

        Passkeys = [.. (await signIn.UserManager.GetPasskeysAsync(user)).Select(p => p.Name ?? Convert.ToHexStringLower(p.CredentialId.AsSpan(0, Math.Min(8, p.CredentialId.Length))))];
        return user;
    }
}
