using Microsoft.AspNetCore.Identity;
using OpenIddict.Abstractions;
using Spbe.Security.Identity.Events;
using Spbe.Security.Identity.Organizations;

namespace Spbe.Security.Identity.Accounts;

/// <summary>Creates and administers ASN accounts, validating NIP, OPD and roles before ASP.NET Core Identity does the rest.</summary>
public sealed class AccountService(
    UserManager<AsnUser> users,
    OpdCatalog opds,
    IOpenIddictAuthorizationManager authorizations,
    IOpenIddictTokenManager tokens,
    ISecurityEventSink events,
    TimeProvider time)
{
    /// <summary>Creates an account with a password.</summary>
    public Task<AccountResult> CreateAsync(NewAccount account, string password) => CreateAsync(account, password, actor: null);

    /// <summary>Creates an account with a password on behalf of <paramref name="actor"/> (recorded in the event).</summary>
    public async Task<AccountResult> CreateAsync(NewAccount account, string password, string? actor)
    {
        ArgumentNullException.ThrowIfNull(account);
        if (Nip.Validate(account.Nip) is { } nipProblem)
        {
            return AccountResult.Fail(IdentityErrors.InvalidNip, nipProblem);
        }

        if (!opds.TryFind(account.OpdCode, out var opd) || !opd.Active)
        {
            return AccountResult.Fail(IdentityErrors.UnknownOpd, $"'{account.OpdCode}' is not an active OPD in {OpdCatalog.FileName}");
        }

        if (account.Roles.FirstOrDefault(r => !SpbeRoles.All.Contains(r)) is { } unknownRole)
        {
            return AccountResult.Fail(IdentityErrors.UnknownRole, $"'{unknownRole}' is not a role (roles: {string.Join(", ", SpbeRoles.All)})");
        }

        if (await users.FindByNameAsync(account.Nip) is not null)
        {
            return AccountResult.Fail(IdentityErrors.DuplicateAccount, $"an account with NIP {account.Nip} already exists");
        }

        var user = new AsnUser
        {
            UserName = account.Nip,
            DisplayName = account.DisplayName.Trim(),
            OpdCode = opd.Code,
            Jabatan = string.IsNullOrWhiteSpace(account.Jabatan) ? null : account.Jabatan.Trim(),
            Email = string.IsNullOrWhiteSpace(account.Email) ? null : account.Email.Trim(),
            LockoutEnabled = true,
        };
        var created = await users.CreateAsync(user, password);
        if (!created.Succeeded)
        {
            var code = created.Errors.Any(e => e.Code.StartsWith("Password", StringComparison.Ordinal)) ? IdentityErrors.WeakPassword : IdentityErrors.InvalidNip;
            return AccountResult.Fail(code, string.Join(" ", created.Errors.Select(e => e.Description)));
        }

        if (account.Roles.Count > 0)
        {
            await users.AddToRolesAsync(user, account.Roles.Distinct(StringComparer.Ordinal));
        }

        await events.WriteAsync(new SecurityEvent(time.GetUtcNow(), SecurityEventActions.AccountCreated, "success",
            UserName: user.Nip, Opd: user.OpdCode, Reason: account.Roles.Count == 0 ? null : "roles: " + string.Join(",", account.Roles), Actor: actor));
        return AccountResult.Ok(user);
    }

    /// <summary>
    /// Disables an account: it can no longer sign in, its sessions end at their next validation, and every token and
    /// authorization issued to it is revoked at once.
    /// </summary>
    public async Task<AccountResult> DisableAsync(string nip, CancellationToken cancellationToken = default) =>
        await DisableAsync(nip, actor: null, cancellationToken);

    /// <summary>Disables an account on behalf of <paramref name="actor"/> (recorded in the event).</summary>
    public async Task<AccountResult> DisableAsync(string nip, string? actor, CancellationToken cancellationToken = default)
    {
        if (await users.FindByNameAsync(nip) is not { } user)
        {
            return AccountResult.Fail(IdentityErrors.UnknownAccount, $"no account with NIP {nip}");
        }

        user.Disabled = true;
        var saved = await users.UpdateAsync(user);
        if (saved.Succeeded)
        {
            saved = await users.UpdateSecurityStampAsync(user);
        }

        if (!saved.Succeeded)
        {
            return AccountResult.Fail(IdentityErrors.ConcurrentChange, $"the account {nip} changed meanwhile; nothing was disabled, try again");
        }

        var subject = user.Id.ToString();
        var revokedTokens = await tokens.RevokeBySubjectAsync(subject, cancellationToken);
        await authorizations.RevokeBySubjectAsync(subject, cancellationToken);
        await events.WriteAsync(new SecurityEvent(time.GetUtcNow(), SecurityEventActions.AccountDisabled, "success",
            UserName: user.Nip, Opd: user.OpdCode, Reason: $"{revokedTokens} token(s) revoked", Actor: actor), cancellationToken);
        return AccountResult.Ok(user);
    }
}
