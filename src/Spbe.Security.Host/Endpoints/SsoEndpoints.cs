using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Primitives;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using Spbe.Security.Host.Sso;
using Spbe.Security.Identity.Accounts;
using Spbe.Security.Identity.Events;
using Spbe.Security.Identity.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Spbe.Security.Host.Endpoints;

/// <summary>
/// The OpenID Connect endpoints OpenIddict passes through to us after validating the protocol: the authorization
/// endpoint signs the user in (or sends them to the login, second-factor or consent page), the token endpoint
/// re-checks the account on every code, refresh and device redemption and performs token exchange, userinfo and logout.
/// </summary>
internal static class SsoEndpoints
{
    private const string Scheme = OpenIddictServerAspNetCoreDefaults.AuthenticationScheme;
    private const string ReauthParameter = "spbe_reauth";
    private const string ConsentParameter = "spbe_consent";

    public static IEndpointRouteBuilder MapSsoEndpoints(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapMethods(SsoDefaults.AuthorizationPath, [HttpMethods.Get, HttpMethods.Post], AuthorizeAsync).DisableAntiforgery();
        endpoints.MapPost(SsoDefaults.TokenPath, ExchangeAsync).DisableAntiforgery();
        endpoints.MapMethods(SsoDefaults.UserInfoPath, [HttpMethods.Get, HttpMethods.Post], UserInfoAsync).DisableAntiforgery();
        return endpoints;
    }

    /// <summary>Whether the account may still hold a session or tokens (exists, enabled).</summary>
    public static bool IsActive(AsnUser? user) => user is { Disabled: false };

    private static async Task<IResult> AuthorizeAsync(HttpContext context, UserManager<AsnUser> users, SsoPrincipalFactory principals,
        IOpenIddictApplicationManager applications, IOpenIddictAuthorizationManager authorizations, IDataProtectionProvider protection, UiText text, TimeProvider time)
    {
        // Note: an error OpenIddict cannot send back to the application (untrusted redirect_uri) is shown here.
        if (context.GetOpenIddictServerResponse() is { Error: not null } failure)
        {
            return ErrorPage.Result(failure, text);
        }

        var request = context.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("Not an OpenID Connect request.");
        var session = await context.AuthenticateAsync(IdentityConstants.ApplicationScheme);
        var authenticatedAt = SpbeSignInManager.AuthenticatedAt(session.Principal);
        var user = session.Succeeded ? await users.GetUserAsync(session.Principal!) : null;

        // Note: prompt=login and max_age=0 are met only by a sign-in that happened after this request first came in
        // (proved by a marker only we can write), so the way back from the login page cannot be replayed to skip it.
        var mustReauthenticate = request.HasPromptValue(PromptValues.Login) || request.MaxAge == 0;
        if (mustReauthenticate && ReauthenticatedSince(context, request, protection) is { } since && SpbeSignInManager.AuthenticatedAtPrecisely(session.Principal) > since)
        {
            mustReauthenticate = false;
        }

        var tooOld = request.MaxAge is > 0 and { } maxAge && (authenticatedAt is not { } at || time.GetUtcNow() - at > TimeSpan.FromSeconds(maxAge));
        if (!IsActive(user) || mustReauthenticate || tooOld)
        {
            if (request.HasPromptValue(PromptValues.None))
            {
                return Forbid(Errors.LoginRequired, "The user is not signed in.");
            }

            var marker = ReauthProtector(protection).Protect(
                $"{time.GetUtcNow().ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture)}|{RequestBinding(request)}", TimeSpan.FromMinutes(10));
            var back = ReturnUrl(context, ReauthParameter) + (mustReauthenticate ? Separator(context) + ReauthParameter + "=" + Uri.EscapeDataString(marker) : string.Empty);
            return Results.Challenge(new AuthenticationProperties { RedirectUri = back }, [IdentityConstants.ApplicationScheme]);
        }

        // Note: step-up: an application that accepts only the MFA class gets a second factor first (enrolment if none).
        var methods = session.Principal!.FindAll("amr").Select(c => c.Value).DefaultIfEmpty(AuthenticationMethods.Password).ToArray();
        if (SsoAcr.RequiresMfa(request.AcrValues) && !methods.Contains(AuthenticationMethods.Mfa, StringComparer.Ordinal))
        {
            if (request.HasPromptValue(PromptValues.None))
            {
                return Forbid(Errors.InteractionRequired, "The application requires a second factor.");
            }

            return Results.Redirect("/masuk/verifikasi" + QueryString.Create("ReturnUrl", ReturnUrl(context)));
        }

        var application = await applications.FindByClientIdAsync(request.ClientId!)
            ?? throw new InvalidOperationException("OpenIddict validated an unknown client.");
        // Note: a claim asked for one by one is released if its scope was requested, or, for the city's own applications
        // (no consent step), if the application may request that scope; a third-party application gets nothing beyond
        // what the user consented to.
        var thirdParty = await applications.GetConsentTypeAsync(application) == ConsentTypes.Explicit;
        var claimsRequest = await ClaimsRequest.ParseAsync(request[Parameters.Claims]?.ToString(), async scope =>
            request.HasScope(scope) || (!thirdParty && await applications.HasPermissionAsync(application, Permissions.Prefixes.Scope + scope)));
        var identity = await principals.CreateForUserAsync(user!, request.GetScopes(), methods, authenticatedAt, claimsRequest);
        identity.SetAudiences(SsoPrincipalFactory.AudiencesFor(request.ClientId!, request.GetScopes()));

        // Note: third-party applications (explicit consent) need the user's permission, remembered as a permanent authorization.
        if (thirdParty)
        {
            // Note: the consent page answers with a sealed, ten-minute marker naming this request, which cannot be forged
            // to skip a forced prompt=consent.
            var decision = ConsentDecision(context, request, protection);
            if (decision == "denied")
            {
                return Forbid(Errors.AccessDenied, "The user did not allow the application.");
            }

            var granted = request.HasPromptValue(PromptValues.Consent) && decision != "granted"
                ? null
                : await FindPermanentAuthorizationAsync(authorizations, user!.Id.ToString(), (await applications.GetIdAsync(application))!, request.GetScopes());
            if (granted is null)
            {
                if (request.HasPromptValue(PromptValues.None))
                {
                    return Forbid(Errors.ConsentRequired, "The user has not consented to this application.");
                }

                // Note: the page gets the validated client and scopes sealed (with PAR the URL holds only a request_uri).
                var what = ConsentProtector(protection).Protect($"{RequestBinding(request)}\n{request.ClientId}\n{string.Join(' ', request.GetScopes())}", TimeSpan.FromMinutes(10));
                return Results.Redirect("/persetujuan" + QueryString.Create([
                    new KeyValuePair<string, string?>("ReturnUrl", ReturnUrl(context, ConsentParameter)), new("p", what)]));
            }

            identity.SetAuthorizationId(await authorizations.GetIdAsync(granted));
        }

        return Results.SignIn(new ClaimsPrincipal(identity), authenticationScheme: Scheme);
    }

    private static async Task<object?> FindPermanentAuthorizationAsync(IOpenIddictAuthorizationManager authorizations, string subject, string applicationId,
        System.Collections.Immutable.ImmutableArray<string> scopes)
    {
        await foreach (var authorization in authorizations.FindAsync(subject, applicationId, Statuses.Valid, AuthorizationTypes.Permanent, scopes))
        {
            return authorization;
        }

        return null;
    }

    // Note: the marker is sealed, lives ten minutes, and names the request it was made for (client and PKCE
    // challenge, or the pushed request), so one made for another request or client proves nothing here.
    private static DateTimeOffset? ReauthenticatedSince(HttpContext context, OpenIddictRequest request, IDataProtectionProvider protection)
    {
        var marker = context.Request.HasFormContentType ? context.Request.Form[ReauthParameter].ToString() : context.Request.Query[ReauthParameter].ToString();
        if (marker.Length == 0)
        {
            return null;
        }

        try
        {
            var parts = ReauthProtector(protection).Unprotect(marker).Split('|', 2);
            return parts.Length == 2 && parts[1] == RequestBinding(request)
                && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var milliseconds)
                ? DateTimeOffset.FromUnixTimeMilliseconds(milliseconds) : null;
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return null;
        }
    }

    /// <summary>The protector shared with the consent page for its sealed request and decision.</summary>
    public static ITimeLimitedDataProtector ConsentProtector(IDataProtectionProvider protection) =>
        protection.CreateProtector(ConsentParameter).ToTimeLimitedDataProtector();

    private static string? ConsentDecision(HttpContext context, OpenIddictRequest request, IDataProtectionProvider protection)
    {
        var marker = context.Request.HasFormContentType ? context.Request.Form[ConsentParameter].ToString() : context.Request.Query[ConsentParameter].ToString();
        try
        {
            var parts = marker.Length == 0 ? [] : ConsentProtector(protection).Unprotect(marker).Split('\n');
            return parts.Length == 2 && parts[1] == RequestBinding(request) ? parts[0] : null;
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return null;
        }
    }

    private static ITimeLimitedDataProtector ReauthProtector(IDataProtectionProvider protection) =>
        protection.CreateProtector(ReauthParameter).ToTimeLimitedDataProtector();

    private static string RequestBinding(OpenIddictRequest request) =>
        $"{request.ClientId}|{request.CodeChallenge ?? request.RequestUri}";

    // Note: the request as it came in (GET query or POST form), minus our own markers, as a local URL to come back to.
    private static string ReturnUrl(HttpContext context, params string[] without)
    {
        var parameters = (context.Request.HasFormContentType ? context.Request.Form.AsEnumerable() : context.Request.Query.AsEnumerable())
            .Where(p => !without.Contains(p.Key, StringComparer.Ordinal))
            .Select(p => new KeyValuePair<string, StringValues>(p.Key, p.Value));
        return context.Request.PathBase + context.Request.Path + QueryString.Create(parameters);
    }

    private static string Separator(HttpContext context) =>
        (context.Request.HasFormContentType ? context.Request.Form.Count : context.Request.Query.Count(p => p.Key != ReauthParameter)) > 0 ? "&" : "?";

    private static async Task<IResult> ExchangeAsync(HttpContext context, UserManager<AsnUser> users, SsoPrincipalFactory principals,
        IOpenIddictApplicationManager applications, ISecurityEventSink events, TimeProvider time)
    {
        var request = context.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("Not an OpenID Connect request.");
        if (request.IsClientCredentialsGrantType())
        {
            // Note: OpenIddict has authenticated the client; no second lookup of its record on this hot path.
            var identity = SsoPrincipalFactory.CreateForClient(request.ClientId!, displayName: null, request.GetScopes());
            identity.SetAudiences(request.ClientId!);
            return Results.SignIn(new ClaimsPrincipal(identity), authenticationScheme: Scheme);
        }

        if (request.IsAuthorizationCodeGrantType() || request.IsRefreshTokenGrantType() || request.IsDeviceCodeGrantType())
        {
            var result = await context.AuthenticateAsync(Scheme);
            var user = await FindAccountAsync(users, result.Principal);

            // Note: a locked-out account keeps its tokens (lockout must not become a denial of service by a guesser);
            // a disabled one does not.
            if (!IsActive(user))
            {
                return Forbid(Errors.InvalidGrant, "The account is no longer allowed to sign in.");
            }

            // Note: claims are rebuilt from the account as it is now (roles, OPD, jabatan may have changed).
            var principal = result.Principal!;
            var identity = await principals.CreateForUserAsync(user!, principal.GetScopes(), principal.GetClaims(Claims.AuthenticationMethodReference),
                SpbeSignInManager.AuthenticatedAt(principal), ClaimsRequest.FromPrincipal(principal));
            identity.SetResources(principal.GetResources()).SetAudiences(principal.GetAudiences()).SetAuthorizationId(principal.GetAuthorizationId());
            return Results.SignIn(new ClaimsPrincipal(identity), authenticationScheme: Scheme);
        }

        if (request.IsTokenExchangeGrantType())
        {
            return await TokenExchangeAsync(context, request, users, principals, events, time);
        }

        return Forbid(Errors.UnsupportedGrantType, "The grant type is not supported.");
    }

    /// <summary>
    /// RFC 8693: an application holding a user's access token gets a short-lived token for the signing API
    /// (<see cref="SsoDefaults.SigningAudience"/>) on that user's behalf, with itself recorded as actor (<c>act</c>).
    /// The user's authentication facts (acr, amr, auth_time) carry over unchanged, so the signing API can still demand
    /// a fresh MFA sign-in.
    /// </summary>
    private static async Task<IResult> TokenExchangeAsync(HttpContext context, OpenIddictRequest request, UserManager<AsnUser> users,
        SsoPrincipalFactory principals, ISecurityEventSink events, TimeProvider time)
    {
        var result = await context.AuthenticateAsync(Scheme);
        var subjectToken = result.Principal ?? new ClaimsPrincipal();
        if (request.SubjectTokenType != TokenTypeIdentifiers.AccessToken)
        {
            return Forbid(Errors.InvalidRequest, "Only access tokens can be exchanged.");
        }

        // Note: only a user's token, and only one that was issued to the client asking (no laundering of tokens).
        var user = await FindAccountAsync(users, subjectToken);
        if (!IsActive(user) || !subjectToken.GetPresenters().Contains(request.ClientId!, StringComparer.Ordinal))
        {
            return Forbid(Errors.InvalidGrant, "The subject token does not belong to a user of this client.");
        }

        var audiences = request.Audiences ?? [];
        if (audiences.Length != 1 || audiences[0] != SsoDefaults.SigningAudience)
        {
            return Forbid(Errors.InvalidTarget, $"Token exchange issues tokens for the audience '{SsoDefaults.SigningAudience}' only.");
        }

        var identity = await principals.CreateForUserAsync(user!, subjectToken.GetScopes(), subjectToken.GetClaims(Claims.AuthenticationMethodReference),
            SpbeSignInManager.AuthenticatedAt(subjectToken));
        identity.SetAudiences(SsoDefaults.SigningAudience);
        identity.SetClaim("act", System.Text.Json.JsonSerializer.SerializeToElement(new Dictionary<string, string> { ["sub"] = request.ClientId! }));
        identity.SetDestinations(claim => [Destinations.AccessToken]);
        await events.WriteAsync(new SecurityEvent(time.GetUtcNow(), SecurityEventActions.Token, "success", UserName: user!.Nip,
            SourceIp: context.Connection.RemoteIpAddress?.ToString(), ClientId: request.ClientId, Opd: user.OpdCode, Reason: "token-exchange for " + SsoDefaults.SigningAudience));
        return Results.SignIn(new ClaimsPrincipal(identity), authenticationScheme: Scheme);
    }

    private static async Task<AsnUser?> FindAccountAsync(UserManager<AsnUser> users, ClaimsPrincipal? principal) =>
        Guid.TryParse(principal?.GetClaim(Claims.Subject), out var id) ? await users.FindByIdAsync(id.ToString()) : null;

    private static async Task<IResult> UserInfoAsync(HttpContext context, UserManager<AsnUser> users)
    {
        var result = await context.AuthenticateAsync(Scheme);
        var user = await FindAccountAsync(users, result.Principal);
        if (!IsActive(user))
        {
            return Results.Challenge(ErrorProperties(Errors.InvalidToken, "The token does not belong to an active account."), [Scheme]);
        }

        var principal = result.Principal!;
        var asked = principal.GetClaims(ClaimsRequest.UserInfoClaim);
        var claims = new Dictionary<string, object>(StringComparer.Ordinal) { [Claims.Subject] = user!.Id.ToString() };
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

        // Note: claims asked for one by one with the claims parameter (limited to the client's permitted scopes when asked).
        foreach (var claim in asked)
        {
            object? value = claim switch
            {
                Claims.Name => user.DisplayName,
                Claims.PreferredUsername or SsoClaims.Nip => user.Nip,
                SsoClaims.Jabatan => user.Jabatan,
                SsoClaims.Opd => user.OpdCode,
                Claims.Email => user.Email,
                Claims.Role => await users.GetRolesAsync(user),
                _ => null,
            };
            if (value is not null)
            {
                claims[claim] = value;
            }
        }

        return Results.Ok(claims);
    }

    internal static IResult Forbid(string error, string description) =>
        Results.Forbid(ErrorProperties(error, description), [Scheme]);

    private static AuthenticationProperties ErrorProperties(string error, string description) => new(new Dictionary<string, string?>
    {
        [OpenIddictServerAspNetCoreConstants.Properties.Error] = error,
        [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = description,
    });
}
