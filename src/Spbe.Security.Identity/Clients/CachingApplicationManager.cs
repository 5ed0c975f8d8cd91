using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using OpenIddict.Core;
using OpenIddict.EntityFrameworkCore.Models;

namespace Spbe.Security.Identity.Clients;

/// <summary>
/// OpenIddict's application manager with <see cref="VerifiedSecretCache"/> in front of secret verification, and,
/// for client_credentials token requests only, a short-lived cross-request cache of the client's record (OpenIddict's
/// own entity cache lives one request), so that a service asking for tokens many times a second costs no database
/// read per token.
/// </summary>
/// <remarks>
/// Only that flow uses the shared record: it only reads it (no token or authorization entry refers to it, see
/// <see cref="Server.SelfContainedClientTokensHandler"/>), whereas flows that store tokens need the record tracked by
/// their own database context. Changes made in this process drop the entry at once; changes made by another process
/// (the CLI) apply within <see cref="SharedClientRecords.Lifetime"/>.
/// </remarks>
internal sealed class CachingApplicationManager(
    IOpenIddictApplicationCache<OpenIddictEntityFrameworkCoreApplication> cache,
    ILogger<OpenIddictApplicationManager<OpenIddictEntityFrameworkCoreApplication>> logger,
    IOptionsMonitor<OpenIddictCoreOptions> options,
    IOpenIddictApplicationStore<OpenIddictEntityFrameworkCoreApplication> store,
    VerifiedSecretCache verified,
    SharedClientRecords shared,
    IHttpContextAccessor http)
    : OpenIddictApplicationManager<OpenIddictEntityFrameworkCoreApplication>(cache, logger, options, store)
{
    public override async ValueTask<OpenIddictEntityFrameworkCoreApplication?> FindByClientIdAsync(string identifier, CancellationToken cancellationToken = default)
    {
        if (!IsClientCredentialsTokenRequest(http.HttpContext))
        {
            return await base.FindByClientIdAsync(identifier, cancellationToken);
        }

        if (shared.TryGet(identifier, out var application))
        {
            return application;
        }

        var generation = shared.Generation;
        application = await base.FindByClientIdAsync(identifier, cancellationToken);
        if (application is not null)
        {
            shared.Remember(identifier, application, generation);
        }

        return application;
    }

    public override async ValueTask UpdateAsync(OpenIddictEntityFrameworkCoreApplication application, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(application);
        shared.Forget(application.ClientId);
        await base.UpdateAsync(application, cancellationToken);
        shared.Forget(application.ClientId);
    }

    public override async ValueTask DeleteAsync(OpenIddictEntityFrameworkCoreApplication application, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(application);
        shared.Forget(application.ClientId);
        await base.DeleteAsync(application, cancellationToken);
    }

    private static bool IsClientCredentialsTokenRequest(HttpContext? context) =>
        context is not null
        && context.Request.Path.Equals(Server.SsoDefaults.TokenPath, StringComparison.Ordinal)
        && context.Request.HasFormContentType
        && context.Request.Form.TryGetValue(OpenIddict.Abstractions.OpenIddictConstants.Parameters.GrantType, out var grant)
        && grant == OpenIddict.Abstractions.OpenIddictConstants.GrantTypes.ClientCredentials;

    protected override async ValueTask<bool> ValidateClientSecretAsync(string secret, string comparand, CancellationToken cancellationToken = default)
    {
        if (verified.IsKnownGood(secret, comparand))
        {
            return true;
        }

        var valid = await base.ValidateClientSecretAsync(secret, comparand, cancellationToken);
        if (valid)
        {
            verified.Remember(secret, comparand);
        }

        return valid;
    }
}
