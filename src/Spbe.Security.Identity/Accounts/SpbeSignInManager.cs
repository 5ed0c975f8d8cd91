using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;

namespace Spbe.Security.Identity.Accounts;

/// <summary>
/// Identity's sign-in manager, with the moment of authentication written into the session as an <c>auth_time</c>
/// claim. The cookie's own issue time is not it: the security-stamp check re-issues the cookie every 30 minutes,
/// which would make a seven-hour-old sign-in look fresh to <c>max_age</c>.
/// </summary>
public sealed class SpbeSignInManager(
    UserManager<AsnUser> userManager,
    IHttpContextAccessor contextAccessor,
    IUserClaimsPrincipalFactory<AsnUser> claimsFactory,
    IOptions<IdentityOptions> optionsAccessor,
    ILogger<SignInManager<AsnUser>> logger,
    IAuthenticationSchemeProvider schemes,
    IUserConfirmation<AsnUser> confirmation,
    TimeProvider time)
    : SignInManager<AsnUser>(userManager, contextAccessor, claimsFactory, optionsAccessor, logger, schemes, confirmation)
{
    /// <inheritdoc />
    public override Task SignInWithClaimsAsync(AsnUser user, AuthenticationProperties? authenticationProperties, IEnumerable<Claim> additionalClaims)
    {
        var claims = additionalClaims.ToList();
        var now = time.GetUtcNow();
        if (!claims.Exists(c => c.Type == OpenIddictConstants.Claims.AuthenticationTime))
        {
            claims.Add(new Claim(OpenIddictConstants.Claims.AuthenticationTime, now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), ClaimValueTypes.Integer64));
            claims.Add(new Claim(PreciseAuthenticationTime, now.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture), ClaimValueTypes.Integer64));
        }

        return base.SignInWithClaimsAsync(user, authenticationProperties, claims);
    }

    /// <summary>The session claim with the moment of authentication in milliseconds (for ordering against a challenge).</summary>
    public const string PreciseAuthenticationTime = "spbe_auth_ms";

    /// <summary>When the session's user authenticated, to the millisecond, if the session records it.</summary>
    public static DateTimeOffset? AuthenticatedAtPrecisely(ClaimsPrincipal? session) =>
        session?.FindFirst(PreciseAuthenticationTime)?.Value is { } value
        && long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var milliseconds)
            ? DateTimeOffset.FromUnixTimeMilliseconds(milliseconds) : null;

    /// <summary>When the session's user authenticated, from its <c>auth_time</c> claim.</summary>
    public static DateTimeOffset? AuthenticatedAt(ClaimsPrincipal? session) =>
        session?.FindFirst(OpenIddictConstants.Claims.AuthenticationTime)?.Value is { } value
        && long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            ? DateTimeOffset.FromUnixTimeSeconds(seconds) : null;

    /// <summary>Carries <c>auth_time</c> and <c>amr</c> over when the security-stamp check rebuilds the session principal.</summary>
    internal static Task KeepAuthenticationFacts(SecurityStampRefreshingPrincipalContext context)
    {
        if (context.CurrentPrincipal is { } current && context.NewPrincipal?.Identity is ClaimsIdentity renewed)
        {
            foreach (var claim in current.Claims.Where(c => c.Type is OpenIddictConstants.Claims.AuthenticationTime or PreciseAuthenticationTime or "amr"))
            {
                if (!renewed.HasClaim(claim.Type, claim.Value))
                {
                    renewed.AddClaim(new Claim(claim.Type, claim.Value, claim.ValueType));
                }
            }
        }

        return Task.CompletedTask;
    }
}
