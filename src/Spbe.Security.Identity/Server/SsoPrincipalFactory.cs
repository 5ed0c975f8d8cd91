using System.Collections.Immutable;
using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using OpenIddict.Abstractions;
using Spbe.Security.Identity.Accounts;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Spbe.Security.Identity.Server;

/// <summary>
/// Builds the identities the provider signs into tokens: for an ASN account (code and refresh flows) and for a
/// client acting on its own behalf (client credentials). Claims reach the identity token and userinfo only when
/// their scope was granted; the access token carries what APIs need for authorization.
/// </summary>
public sealed class SsoPrincipalFactory(UserManager<AsnUser> users)
{
    /// <summary>The identity of <paramref name="user"/> for the granted <paramref name="scopes"/>.</summary>
    /// <param name="user">The signed-in account.</param>
    /// <param name="scopes">The scopes granted to the client.</param>
    /// <param name="authenticationMethods">The <c>amr</c> values of the sign-in (e.g. <c>pwd</c>, <c>otp</c>).</param>
    /// <param name="authenticatedAt">When the user authenticated (<c>auth_time</c>).</param>
    /// <param name="claimsRequest">Individual claims asked for with the <c>claims</c> parameter (already limited to the client's scopes).</param>
    public async Task<ClaimsIdentity> CreateForUserAsync(AsnUser user, ImmutableArray<string> scopes, IEnumerable<string> authenticationMethods,
        DateTimeOffset? authenticatedAt, ClaimsRequest? claimsRequest = null)
    {
        var requested = claimsRequest ?? ClaimsRequest.None;
        ArgumentNullException.ThrowIfNull(user);
        var methods = authenticationMethods.Distinct(StringComparer.Ordinal).ToArray();
        var identity = new ClaimsIdentity(
            authenticationType: "Spbe.Security.Sso", nameType: Claims.Name, roleType: Claims.Role);
        identity.SetClaim(Claims.Subject, user.Id.ToString())
            .SetClaim(Claims.Name, user.DisplayName)
            .SetClaim(Claims.PreferredUsername, user.Nip)
            .SetClaim(SsoClaims.Nip, user.Nip)
            .SetClaim(SsoClaims.Opd, user.OpdCode)
            .SetClaim(SsoClaims.Jabatan, user.Jabatan)
            .SetClaim(Claims.Email, user.Email)
            .SetClaims(Claims.Role, [.. await users.GetRolesAsync(user)])
            .SetClaims(Claims.AuthenticationMethodReference, [.. methods])
            .SetClaim(Claims.AuthenticationContextReference, SsoAcr.Of(methods));
        if (authenticatedAt is { } at)
        {
            identity.SetClaim(Claims.AuthenticationTime, at.ToUnixTimeSeconds());
        }

        identity.SetClaims(ClaimsRequest.IdTokenClaim, [.. requested.IdToken]).SetClaims(ClaimsRequest.UserInfoClaim, [.. requested.UserInfo]);
        identity.SetScopes(scopes);
        identity.SetDestinations(claim => claim.Type switch
        {
            // Note: private: kept in codes and refresh tokens; the userinfo part also in access tokens, for userinfo.
            ClaimsRequest.IdTokenClaim => [],
            ClaimsRequest.UserInfoClaim => [OpenIddictConstants.Destinations.AccessToken],
            _ when requested.IdToken.Contains(claim.Type) => [.. DestinationsOf(claim, scopes).Append(OpenIddictConstants.Destinations.IdentityToken).Distinct()],
            _ => DestinationsOf(claim, scopes),
        });
        return identity;
    }

    /// <summary>The audiences of a user's access token issued to <paramref name="clientId"/>: the client itself, plus
    /// the admin API when <see cref="SsoDefaults.AdminScope"/> was granted, the SOC API when <see cref="SsoDefaults.SocScope"/> was.</summary>
    public static string[] AudiencesFor(string clientId, ImmutableArray<string> scopes) =>
    [
        clientId,
        .. scopes.Contains(SsoDefaults.AdminScope) ? [SsoDefaults.AdminAudience] : Array.Empty<string>(),
        .. scopes.Contains(SsoDefaults.SocScope) ? [SsoDefaults.SocAudience] : Array.Empty<string>(),
    ];

    /// <summary>The identity of a client calling on its own behalf.</summary>
    public static ClaimsIdentity CreateForClient(string clientId, string? displayName, ImmutableArray<string> scopes)
    {
        var identity = new ClaimsIdentity(authenticationType: "Spbe.Security.Sso", nameType: Claims.Name, roleType: Claims.Role);
        identity.SetClaim(Claims.Subject, clientId).SetClaim(Claims.Name, displayName ?? clientId);
        identity.SetScopes(scopes);
        identity.SetDestinations(_ => [OpenIddictConstants.Destinations.AccessToken]);
        return identity;
    }

    private static IEnumerable<string> DestinationsOf(Claim claim, ImmutableArray<string> scopes)
    {
        // Note: the subject always reaches both tokens; everything else only with its scope, so that a relying party
        // learns no more about an ASN than it asked for and was granted.
        var scope = claim.Type switch
        {
            Claims.Subject or Claims.AuthenticationTime or Claims.AuthenticationMethodReference or Claims.AuthenticationContextReference => null,
            Claims.Name or Claims.PreferredUsername or SsoClaims.Nip or SsoClaims.Jabatan => Scopes.Profile,
            Claims.Email => Scopes.Email,
            SsoClaims.Opd => SsoDefaults.OpdScope,
            Claims.Role => Scopes.Roles,
            _ => "-",
        };

        if (scope is null || scopes.Contains(scope))
        {
            // Note: access tokens are readable JWTs that travel to APIs; they carry what authorization needs (subject,
            // OPD, roles, how the user authenticated), not personal data (the NIP encodes birth date and sex).
            if (claim.Type is not (Claims.Name or Claims.PreferredUsername or SsoClaims.Nip or SsoClaims.Jabatan or Claims.Email))
            {
                yield return OpenIddictConstants.Destinations.AccessToken;
            }

            yield return OpenIddictConstants.Destinations.IdentityToken;
        }
    }
}
