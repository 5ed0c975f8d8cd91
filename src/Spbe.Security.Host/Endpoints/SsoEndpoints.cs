using System.Security.Claims;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Primitives;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using Spbe.Security.Identity.Accounts;
using Spbe.Security.Identity.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Spbe.Security.Host.Endpoints;

/// <summary>
/// The OpenID Connect endpoints OpenIddict passes through to us after validating the protocol: the authorization
/// endpoint signs the user in (or sends them to the login page), the token endpoint re-checks the account on every
/// code and refresh redemption, userinfo and logout.
/// </summary>
internal static class SsoEndpoints
{
    private const string Scheme = OpenIddictServerAspNetCoreDefaults.AuthenticationScheme;

    public static IEndpointRouteBuilder MapSsoEndpoints(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapMethods(SsoDefaults.AuthorizationPath, [HttpMethods.Get, HttpMethods.Post], AuthorizeAsync).DisableAntiforgery();
        endpoints.MapPost(SsoDefaults.TokenPath, ExchangeAsync).DisableAntiforgery();
        endpoints.MapMethods(SsoDefaults.UserInfoPath, [HttpMethods.Get, HttpMethods.Post], UserInfoAsync).DisableAntiforgery();
        endpoints.MapMethods(SsoDefaults.EndSessionPath, [HttpMethods.Get, HttpMethods.Post], LogoutAsync).DisableAntiforgery();
        return endpoints;
    }

    private static async Task<IResult> AuthorizeAsync(HttpContext context, UserManager<AsnUser> users, SsoPrincipalFactory principals, TimeProvider time)
    {
        var request = context.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("Not an OpenID Connect request.");
        var session = await context.AuthenticateAsync(IdentityConstants.ApplicationScheme);
        var authenticatedAt = session.Properties?.IssuedUtc;
        // Note: max_age=0 always asks for a fresh sign-in (auth_time has one-second resolution).
        var tooOld = request.MaxAge is { } maxAge && (maxAge == 0 || authenticatedAt is not { } at || time.GetUtcNow() - at > TimeSpan.FromSeconds(maxAge));
        var user = session.Succeeded ? await users.GetUserAsync(session.Principal) : null;

        if (user is null || user.Disabled || request.HasPromptValue(PromptValues.Login) || tooOld)
        {
            if (request.HasPromptValue(PromptValues.None))
            {
                return Forbid(Errors.LoginRequired, "The user is not signed in.");
            }

            // Note: drop prompt=login and max_age before coming back, or the fresh session would be refused again.
            var parameters = (context.Request.HasFormContentType ? context.Request.Form.AsEnumerable() : context.Request.Query.AsEnumerable())
                .Where(p => p.Key is not (Parameters.Prompt or Parameters.MaxAge))
                .Select(p => new KeyValuePair<string, StringValues>(p.Key, p.Value));
            var returnUrl = context.Request.PathBase + context.Request.Path + QueryString.Create(parameters);
            return Results.Challenge(new AuthenticationProperties { RedirectUri = returnUrl }, [IdentityConstants.ApplicationScheme]);
        }

        var methods = session.Principal!.FindAll("amr").Select(c => c.Value).DefaultIfEmpty("pwd");
        var identity = await principals.CreateForUserAsync(user, request.GetScopes(), methods, authenticatedAt);
        return Results.SignIn(new ClaimsPrincipal(identity), authenticationScheme: Scheme);
    }

    private static async Task<IResult> ExchangeAsync(HttpContext context, UserManager<AsnUser> users, SignInManager<AsnUser> signIn,
        SsoPrincipalFactory principals, IOpenIddictApplicationManager applications)
    {
        var request = context.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("Not an OpenID Connect request.");
        if (request.IsClientCredentialsGrantType())
        {
            var application = await applications.FindByClientIdAsync(request.ClientId!)
                ?? throw new InvalidOperationException("OpenIddict authenticated an unknown client.");
            var identity = SsoPrincipalFactory.CreateForClient(request.ClientId!, await applications.GetDisplayNameAsync(application), request.GetScopes());
            return Results.SignIn(new ClaimsPrincipal(identity), authenticationScheme: Scheme);
        }

        if (request.IsAuthorizationCodeGrantType() || request.IsRefreshTokenGrantType())
        {
            var result = await context.AuthenticateAsync(Scheme);
            var user = await users.FindByIdAsync(result.Principal?.GetClaim(Claims.Subject) ?? string.Empty);
            if (user is null || !await signIn.CanSignInAsync(user) || await users.IsLockedOutAsync(user))
            {
                return Forbid(Errors.InvalidGrant, "The account is no longer allowed to sign in.");
            }

            // Note: claims are rebuilt from the account as it is now (roles, OPD, jabatan may have changed).
            var principal = result.Principal!;
            var authenticatedAt = principal.GetClaim(Claims.AuthenticationTime) is { } seconds && long.TryParse(seconds, out var unix)
                ? DateTimeOffset.FromUnixTimeSeconds(unix) : (DateTimeOffset?)null;
            var identity = await principals.CreateForUserAsync(user, principal.GetScopes(), principal.GetClaims(Claims.AuthenticationMethodReference), authenticatedAt);
            identity.SetResources(principal.GetResources()).SetAuthorizationId(principal.GetAuthorizationId());
            return Results.SignIn(new ClaimsPrincipal(identity), authenticationScheme: Scheme);
        }

        return Forbid(Errors.UnsupportedGrantType, "The grant type is not supported.");
    }

    private static async Task<IResult> UserInfoAsync(HttpContext context, UserManager<AsnUser> users)
    {
        var result = await context.AuthenticateAsync(Scheme);
        var user = await users.FindByIdAsync(result.Principal?.GetClaim(Claims.Subject) ?? string.Empty);
        if (user is null || user.Disabled)
        {
            return Results.Challenge(ErrorProperties(Errors.InvalidToken, "The account no longer exists or is disabled."), [Scheme]);
        }

        var principal = result.Principal!;
        var claims = new Dictionary<string, object>(StringComparer.Ordinal) { [Claims.Subject] = user.Id.ToString() };
        if (principal.HasScope(Scopes.Profile))
        {
            claims[Claims.Name] = user.DisplayName;
            claims[Claims.PreferredUsername] = user.Nip;
            claims[SsoClaims.Nip] = user.Nip;
            if (user.Jabatan is not null)
            {
                claims[SsoClaims.Jabatan] = user.Jabatan;
            }
        }

        if (principal.HasScope(SsoDefaults.OpdScope))
        {
            claims[SsoClaims.Opd] = user.OpdCode;
        }

        if (principal.HasScope(Scopes.Email) && user.Email is not null)
        {
            claims[Claims.Email] = user.Email;
        }

        if (principal.HasScope(Scopes.Roles))
        {
            claims[Claims.Role] = await users.GetRolesAsync(user);
        }

        return Results.Ok(claims);
    }

    private static async Task<IResult> LogoutAsync(SignInManager<AsnUser> signIn)
    {
        await signIn.SignOutAsync();
        return Results.SignOut(new AuthenticationProperties { RedirectUri = "/" }, [Scheme]);
    }

    private static IResult Forbid(string error, string description) =>
        Results.Forbid(ErrorProperties(error, description), [Scheme]);

    private static AuthenticationProperties ErrorProperties(string error, string description) => new(new Dictionary<string, string?>
    {
        [OpenIddictServerAspNetCoreConstants.Properties.Error] = error,
        [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = description,
    });
}
