using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OpenIddict.Server;
using OpenIddict.EntityFrameworkCore.Models;
using Spbe.Security.Identity.Clients;
using Spbe.Security.Identity.Persistence;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Spbe.Security.Identity.Server;

/// <summary>The OpenIddict server as the city's provider needs it: code + PKCE (S256 only), client credentials and
/// rotating refresh tokens with reuse detection; plain JWT access tokens; keys from <see cref="TokenKeyStore"/>.</summary>
internal static class OpenIddictServerSetup
{
    public static void AddSpbeOpenIddict(this IServiceCollection services)
    {
        services.AddSingleton<VerifiedSecretCache>();
        services.AddSingleton<SharedClientRecords>();
        services.AddHttpContextAccessor();
        services.AddOpenIddict()
            .AddCore(core =>
            {
                core.UseEntityFrameworkCore().UseDbContext<IdentityStoreContext>();
                core.ReplaceApplicationManager<OpenIddictEntityFrameworkCoreApplication, CachingApplicationManager>();
            })
            .AddServer(server =>
            {
                server.SetAuthorizationEndpointUris(SsoDefaults.AuthorizationPath.TrimStart('/'))
                    .SetTokenEndpointUris(SsoDefaults.TokenPath.TrimStart('/'))
                    .SetUserInfoEndpointUris(SsoDefaults.UserInfoPath.TrimStart('/'))
                    .SetIntrospectionEndpointUris(SsoDefaults.IntrospectionPath.TrimStart('/'))
                    .SetRevocationEndpointUris(SsoDefaults.RevocationPath.TrimStart('/'))
                    .SetEndSessionEndpointUris(SsoDefaults.EndSessionPath.TrimStart('/'))
                    .SetJsonWebKeySetEndpointUris(SsoDefaults.JwksPath.TrimStart('/'))
                    .SetPushedAuthorizationEndpointUris(SsoDefaults.PushedAuthorizationPath.TrimStart('/'))
                    .SetDeviceAuthorizationEndpointUris(SsoDefaults.DeviceAuthorizationPath.TrimStart('/'))
                    .SetEndUserVerificationEndpointUris(SsoDefaults.DeviceVerificationPath.TrimStart('/'));
                server.AllowAuthorizationCodeFlow().AllowClientCredentialsFlow().AllowRefreshTokenFlow()
                    .AllowDeviceAuthorizationFlow().AllowTokenExchangeFlow();
                server.RegisterAudiences(SsoDefaults.SigningAudience);
                server.RequireProofKeyForCodeExchange();

                // Note: OpenIddict accepts a reused refresh token for 30 s by default without revoking the family;
                // zero makes any reuse revoke every token of that authorization (PITFALLS.md).
                server.SetRefreshTokenReuseLeeway(TimeSpan.Zero);
                server.RegisterScopes(Scopes.OpenId, Scopes.Profile, Scopes.Email, Scopes.Roles, Scopes.OfflineAccess, SsoDefaults.OpdScope, SsoDefaults.AdminScope, SsoDefaults.SocScope);
                server.RegisterClaims(Claims.Subject, Claims.Name, Claims.PreferredUsername, Claims.Email, Claims.Role,
                    Claims.AuthenticationTime, Claims.AuthenticationMethodReference, Claims.AuthenticationContextReference, SsoClaims.Nip, SsoClaims.Opd, SsoClaims.Jabatan);

                // Note: relying parties and our own APIs validate access tokens as plain signed JWTs.
                server.DisableAccessTokenEncryption();
                server.AddEventHandler(Events.TokenResponseAuditHandler.Descriptor);
                server.AddEventHandler(DiscoveryMetadataHandler.Descriptor);
                server.AddEventHandler(DeviceVerificationUriHandler.Descriptor);
                server.AddEventHandler(RequestUriErrorHandler.Descriptor);
                server.AddEventHandler(SelfContainedClientTokensHandler.Descriptor);
                server.UseAspNetCore()
                    .SuppressJsonResponseIndentation()
                    .EnableAuthorizationEndpointPassthrough()
                    .EnableTokenEndpointPassthrough()
                    .EnableUserInfoEndpointPassthrough()
                    .EnableEndSessionEndpointPassthrough()
                    .EnableEndUserVerificationEndpointPassthrough()
                    // Note: errors that cannot go back to the client are rendered by our pages (styled, localised).
                    .EnableErrorPassthrough();
            })
            .AddValidation(validation =>
            {
                validation.UseLocalServer();
                validation.UseAspNetCore();
            });

        services.AddOptions<OpenIddictServerOptions>().Configure<TokenKeyStore, IOptions<SsoOptions>, TimeProvider>((server, keys, sso, time) =>
        {
            server.SigningCredentials.AddRange(keys.SigningCredentials());
            server.EncryptionCredentials.AddRange(keys.EncryptionCredentials());

            // Note: only S256; "plain" would let an intercepted code be redeemed with the challenge itself.
            server.CodeChallengeMethods.Clear();
            server.CodeChallengeMethods.Add(CodeChallengeMethods.Sha256);
            server.AccessTokenLifetime = sso.Value.AccessTokenLifetime;
            server.IdentityTokenLifetime = sso.Value.IdentityTokenLifetime;
            server.RefreshTokenLifetime = sso.Value.RefreshTokenLifetime;
            server.AuthorizationCodeLifetime = sso.Value.AuthorizationCodeLifetime;
            server.Issuer = sso.Value.Issuer;
            server.TimeProvider = time;
        });
    }
}
