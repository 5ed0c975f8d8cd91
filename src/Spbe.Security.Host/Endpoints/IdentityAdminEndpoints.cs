using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using OpenIddict.Abstractions;
using OpenIddict.Validation.AspNetCore;
using Spbe.Security.Identity;
using Spbe.Security.Identity.Accounts;
using Spbe.Security.Identity.Clients;
using Spbe.Security.Identity.Mfa;
using Spbe.Security.Identity.Server;

namespace Spbe.Security.Host.Endpoints;

/// <summary>
/// The Identity admin API (<c>/api/identity</c>). Callers present a user's access token issued with the
/// <c>spbe.admin</c> scope (audience <c>spbe-admin</c>); the account behind it is re-read on every call and must be
/// active with the <c>admin</c> role (everything) or <c>opd-admin</c> (accounts of its own OPD only, and only the
/// <c>signer</c> role). Anything else is refused: 401 without a valid token, 403 otherwise. Errors carry the IDN code.
/// </summary>
internal static class IdentityAdminEndpoints
{
    /// <summary>Roles an <c>opd-admin</c> may give; the others are for DISKOMINFO's <c>admin</c>.</summary>
    private static readonly string[] OpdAdminGrantableRoles = [SpbeRoles.Signer];

    public static IEndpointRouteBuilder MapIdentityAdminEndpoints(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var api = endpoints.MapGroup("/api/identity").DisableAntiforgery().AddEndpointFilter(AuthorizeAsync);
        api.MapGet("/users", ListUsersAsync);
        api.MapPost("/users", CreateUserAsync);
        api.MapPost("/users/{nip}/disable", DisableUserAsync);
        api.MapPost("/users/{nip}/reset-mfa", ResetMfaAsync);
        api.MapGet("/clients", ListClientsAsync).AddEndpointFilter(AdminOnly);
        api.MapPost("/clients", CreateClientAsync).AddEndpointFilter(AdminOnly);
        api.MapPost("/clients/{clientId}/rotate-secret", RotateSecretAsync).AddEndpointFilter(AdminOnly);
        api.MapDelete("/clients/{clientId}", RemoveClientAsync).AddEndpointFilter(AdminOnly);
        return endpoints;
    }

    /// <summary>The administrator behind a request, as re-read from the store.</summary>
    internal sealed record AdminCaller(AsnUser User, bool IsAdmin)
    {
        public bool MayManage(string opdCode) => IsAdmin || string.Equals(User.OpdCode, opdCode, StringComparison.Ordinal);
    }

    private static AdminCaller Caller(HttpContext context) => (AdminCaller)context.Items[typeof(AdminCaller)]!;

    private static async ValueTask<object?> AuthorizeAsync(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        var context = invocation.HttpContext;
        var result = await context.AuthenticateAsync(OpenIddictValidationAspNetCoreDefaults.AuthenticationScheme);
        if (!result.Succeeded || result.Principal is not { } principal)
        {
            return Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "A bearer access token is required.",
                extensions: new Dictionary<string, object?> { ["code"] = IdentityErrors.Unauthenticated });
        }

        var users = context.RequestServices.GetRequiredService<UserManager<AsnUser>>();
        var user = Guid.TryParse(principal.GetClaim(OpenIddictConstants.Claims.Subject), out var id) ? await users.FindByIdAsync(id.ToString()) : null;
        if (!principal.HasAudience(SsoDefaults.AdminAudience) || user is not { Disabled: false })
        {
            return Forbidden("the token is not an administrator's token for the admin API (scope spbe.admin)");
        }

        // Note: administration needs a second factor (request acr_values=urn:spbe:acr:mfa when signing in).
        if (context.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<SsoOptions>>().Value.AdminApiRequiresMfa
            && principal.GetClaim(OpenIddictConstants.Claims.AuthenticationContextReference) != SsoAcr.Mfa)
        {
            return Forbidden("the admin API needs a sign-in with a second factor (acr urn:spbe:acr:mfa)");
        }

        var roles = await users.GetRolesAsync(user);
        var isAdmin = roles.Contains(SpbeRoles.Admin);
        if (!isAdmin && !roles.Contains(SpbeRoles.OpdAdmin))
        {
            return Forbidden("the admin API needs the admin or opd-admin role");
        }

        context.Items[typeof(AdminCaller)] = new AdminCaller(user, isAdmin);
        return await next(invocation);
    }

    private static async ValueTask<object?> AdminOnly(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next) =>
        Caller(invocation.HttpContext).IsAdmin ? await next(invocation) : Forbidden("client applications are managed by DISKOMINFO's admin");

    private static IResult Forbidden(string reason) => Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: reason,
        extensions: new Dictionary<string, object?> { ["code"] = IdentityErrors.Forbidden });

    private static IResult Failed(string code, string reason) => Results.Problem(
        statusCode: code is IdentityErrors.UnknownAccount or IdentityErrors.UnknownClient ? StatusCodes.Status404NotFound
            : code is IdentityErrors.DuplicateAccount or IdentityErrors.DuplicateClient or IdentityErrors.ConcurrentChange ? StatusCodes.Status409Conflict
            : StatusCodes.Status400BadRequest,
        title: reason, extensions: new Dictionary<string, object?> { ["code"] = code });

    private static async Task<IResult> ListUsersAsync(HttpContext context, UserManager<AsnUser> users, string? opd)
    {
        var caller = Caller(context);
        var filter = caller.IsAdmin ? opd : caller.User.OpdCode;
        var accounts = await users.Users.Where(u => filter == null || u.OpdCode == filter).OrderBy(u => u.UserName).ToListAsync(context.RequestAborted);
        var rows = new List<object>(accounts.Count);
        foreach (var account in accounts)
        {
            rows.Add(new
            {
                nip = account.Nip, name = account.DisplayName, opd = account.OpdCode, jabatan = account.Jabatan, email = account.Email,
                roles = await users.GetRolesAsync(account), disabled = account.Disabled, mfa = account.TwoFactorEnabled,
            });
        }

        return Results.Ok(rows);
    }

    /// <summary>A new account as the admin API takes it.</summary>
    internal sealed record NewUserRequest(string Nip, string Name, string Opd, string? Jabatan, string? Email, string[]? Roles, string Password);

    private static async Task<IResult> CreateUserAsync(HttpContext context, AccountService accounts, NewUserRequest request)
    {
        var caller = Caller(context);
        var roles = request.Roles ?? [];
        if (!caller.MayManage(request.Opd) || (!caller.IsAdmin && roles.Any(r => !OpdAdminGrantableRoles.Contains(r))))
        {
            return Forbidden("an opd-admin creates accounts of its own OPD, with the signer role at most");
        }

        var result = await accounts.CreateAsync(new NewAccount(request.Nip, request.Name, request.Opd, request.Jabatan, request.Email, roles), request.Password, caller.User.Nip);
        return result.Succeeded
            ? Results.Created($"/api/identity/users/{result.Account!.Nip}", new { nip = result.Account.Nip, opd = result.Account.OpdCode })
            : Failed(result.ErrorCode!, result.Reason!);
    }

    private static async Task<IResult> DisableUserAsync(HttpContext context, AccountService accounts, UserManager<AsnUser> users, BackchannelLogout backchannel, string nip)
    {
        if (await ManagedAccountAsync(context, users, nip) is { } refusal)
        {
            return refusal;
        }

        var result = await accounts.DisableAsync(nip, Caller(context).User.Nip, context.RequestAborted);
        if (!result.Succeeded)
        {
            return Failed(result.ErrorCode!, result.Reason!);
        }

        await backchannel.NotifyAsync(result.Account!, new Uri($"{context.Request.Scheme}://{context.Request.Host}/"), context.RequestAborted);
        return Results.Ok(new { nip, disabled = true });
    }

    private static async Task<IResult> ResetMfaAsync(HttpContext context, MfaService mfa, UserManager<AsnUser> users, string nip)
    {
        if (await ManagedAccountAsync(context, users, nip) is { } refusal)
        {
            return refusal;
        }

        var result = await mfa.ResetAsync(nip, Caller(context).User.Nip);
        return result.Succeeded ? Results.Ok(new { nip, mfa = false }) : Failed(result.ErrorCode!, result.Reason!);
    }

    // Note: an opd-admin learns nothing about accounts of other OPDs, not even whether they exist, and cannot act on
    // an account that holds more than the roles it may grant (another administrator, a CSIRT or PKI officer).
    private static async Task<IResult?> ManagedAccountAsync(HttpContext context, UserManager<AsnUser> users, string nip)
    {
        var caller = Caller(context);
        if (await users.FindByNameAsync(nip) is not { } account || !caller.MayManage(account.OpdCode))
        {
            return Failed(IdentityErrors.UnknownAccount, $"no account with NIP {nip} that you manage");
        }

        if (!caller.IsAdmin && (await users.GetRolesAsync(account)).Any(r => !OpdAdminGrantableRoles.Contains(r)))
        {
            return Forbidden("an opd-admin manages accounts with the signer role at most; ask DISKOMINFO's admin");
        }

        return null;
    }

    private static async Task<IResult> ListClientsAsync(HttpContext context, IOpenIddictApplicationManager applications)
    {
        var rows = new List<object>();
        await foreach (var application in applications.ListAsync(count: null, offset: null, context.RequestAborted))
        {
            rows.Add(new
            {
                client_id = await applications.GetClientIdAsync(application), display_name = await applications.GetDisplayNameAsync(application),
                client_type = await applications.GetClientTypeAsync(application), consent_type = await applications.GetConsentTypeAsync(application),
                redirect_uris = await applications.GetRedirectUrisAsync(application),
            });
        }

        return Results.Ok(rows);
    }

    /// <summary>A new client as the admin API takes it.</summary>
    internal sealed record NewClientRequest(
        string ClientId, string? DisplayName, string[] Grants, string[]? RedirectUris, string[]? PostLogoutRedirectUris, string[]? Scopes,
        bool Public, string? Secret, bool ThirdParty, string? BackchannelLogoutUri);

    private static async Task<IResult> CreateClientAsync(HttpContext context, ClientService clients, NewClientRequest request)
    {
        var result = await clients.CreateAsync(new NewClient(request.ClientId, request.DisplayName, request.Grants ?? [],
            NewClient.ParseUris(request.RedirectUris), NewClient.ParseUris(request.PostLogoutRedirectUris), request.Scopes ?? [], request.Public, request.Secret,
            request.ThirdParty, request.BackchannelLogoutUri is { } logout ? NewClient.ParseUris([logout])[0] : null), Caller(context).User.Nip, context.RequestAborted);
        return result.Succeeded
            ? Results.Created($"/api/identity/clients/{result.ClientId}", new { client_id = result.ClientId, client_secret = result.GeneratedSecret })
            : Failed(result.ErrorCode!, result.Reason!);
    }

    private static async Task<IResult> RotateSecretAsync(HttpContext context, ClientService clients, string clientId)
    {
        var result = await clients.RotateSecretAsync(clientId, secret: null, Caller(context).User.Nip, context.RequestAborted);
        return result.Succeeded ? Results.Ok(new { client_id = result.ClientId, client_secret = result.GeneratedSecret }) : Failed(result.ErrorCode!, result.Reason!);
    }

    private static async Task<IResult> RemoveClientAsync(HttpContext context, ClientService clients, string clientId)
    {
        var result = await clients.RemoveAsync(clientId, Caller(context).User.Nip, context.RequestAborted);
        return result.Succeeded ? Results.NoContent() : Failed(result.ErrorCode!, result.Reason!);
    }
}
