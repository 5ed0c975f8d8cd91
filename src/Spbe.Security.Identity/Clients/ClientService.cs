using System.Security.Cryptography;
using OpenIddict.Abstractions;
using Spbe.Security.Identity.Events;
using Spbe.Security.Identity.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Spbe.Security.Identity.Clients;

/// <summary>
/// Registers relying parties. Every client must use PKCE (S256), redirect URIs match exactly, and only the grants
/// and scopes listed are permitted.
/// </summary>
public sealed class ClientService(IOpenIddictApplicationManager applications, ISecurityEventSink events, TimeProvider time)
{
    private static readonly string[] KnownGrants =
        [GrantTypes.AuthorizationCode, GrantTypes.RefreshToken, GrantTypes.ClientCredentials, GrantTypes.DeviceCode, GrantTypes.TokenExchange];
    private static readonly string[] KnownScopes = [Scopes.Profile, Scopes.Email, Scopes.Roles, Scopes.OfflineAccess, SsoDefaults.OpdScope, SsoDefaults.AdminScope, SsoDefaults.SocScope];

    /// <summary>Registers <paramref name="client"/>.</summary>
    public Task<ClientResult> CreateAsync(NewClient client, CancellationToken cancellationToken = default) => CreateAsync(client, actor: null, cancellationToken);

    /// <summary>Registers <paramref name="client"/> on behalf of <paramref name="actor"/> (recorded in the event).</summary>
    public async Task<ClientResult> CreateAsync(NewClient client, string? actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        if (Validate(client) is { } problem)
        {
            return ClientResult.Fail(IdentityErrors.InvalidClient, problem);
        }

        if (await applications.FindByClientIdAsync(client.ClientId, cancellationToken) is not null)
        {
            return ClientResult.Fail(IdentityErrors.DuplicateClient, $"a client '{client.ClientId}' already exists");
        }

        var generated = !client.Public && client.Secret is null ? NewSecret() : null;
        var descriptor = Describe(client, client.Secret ?? generated);
        await applications.CreateAsync(descriptor, cancellationToken);
        await events.WriteAsync(new SecurityEvent(time.GetUtcNow(), SecurityEventActions.ClientCreated, "success",
            ClientId: client.ClientId, Reason: string.Join(",", client.Grants), Actor: actor), cancellationToken);
        return new ClientResult(client.ClientId, generated, null, null);
    }

    /// <summary>
    /// Brings a client declared in policies/identity/clients up to date: creates it, or updates its name, URIs and
    /// permissions. Its secret comes from <paramref name="secret"/> (the variable the file names); without one a
    /// confidential client gets a random secret nobody knows, so it cannot authenticate until one is supplied.
    /// </summary>
    internal async Task<string> SyncAsync(PolicyClient declared, string? secret, CancellationToken cancellationToken)
    {
        var client = declared.Registration;
        var usableSecret = secret is { Length: >= 32 } ? secret : null;
        var secretNote = client.Public ? "public"
            : usableSecret is not null ? $"secret from ${declared.SecretVariable}"
            : $"NO USABLE SECRET: set ${declared.SecretVariable} (32+ characters) and restart";
        var existing = await applications.FindByClientIdAsync(client.ClientId, cancellationToken);
        if (existing is null)
        {
            await applications.CreateAsync(Describe(client, client.Public ? null : usableSecret ?? NewSecret(), fromPolicy: true), cancellationToken);
            await events.WriteAsync(new SecurityEvent(time.GetUtcNow(), SecurityEventActions.ClientCreated, "success",
                ClientId: client.ClientId, Reason: "policy " + declared.File), cancellationToken);
            return $"created from {declared.File} ({secretNote})";
        }

        var current = new OpenIddictApplicationDescriptor();
        await applications.PopulateAsync(current, existing, cancellationToken);
        var desired = Describe(client, secret: null, fromPolicy: true);

        // Note: keep the stored secret hash; populating with a null secret would erase it (and fail validation).
        desired.ClientSecret = current.ClientSecret;
        var same = current.DisplayName == desired.DisplayName && current.ClientType == desired.ClientType
            && current.ConsentType == desired.ConsentType
            && current.RedirectUris.SetEquals(desired.RedirectUris) && current.PostLogoutRedirectUris.SetEquals(desired.PostLogoutRedirectUris)
            && current.Permissions.SetEquals(desired.Permissions)
            && BackchannelLogoutUriOf(current) == BackchannelLogoutUriOf(desired) && current.Properties.ContainsKey(PolicySourceProperty);
        if (same && usableSecret is null)
        {
            return $"unchanged ({secretNote})";
        }

        await applications.PopulateAsync(existing, desired, cancellationToken);
        if (usableSecret is not null)
        {
            await applications.UpdateAsync(existing, usableSecret, cancellationToken);
        }
        else
        {
            await applications.UpdateAsync(existing, cancellationToken);
        }

        return same ? $"secret refreshed ({secretNote})" : $"updated from {declared.File} ({secretNote})";
    }

    /// <summary>
    /// Replaces the secret of a confidential client (generated when <paramref name="secret"/> is null). Tokens already
    /// issued stay valid; the old secret stops working at once.
    /// </summary>
    public async Task<ClientResult> RotateSecretAsync(string clientId, string? secret, string? actor, CancellationToken cancellationToken = default)
    {
        if (await applications.FindByClientIdAsync(clientId, cancellationToken) is not { } application)
        {
            return ClientResult.Fail(IdentityErrors.UnknownClient, $"no client '{clientId}'");
        }

        if (await applications.GetClientTypeAsync(application, cancellationToken) != ClientTypes.Confidential)
        {
            return ClientResult.Fail(IdentityErrors.InvalidClient, $"'{clientId}' is a public client and has no secret");
        }

        if (secret is { Length: < 32 })
        {
            return ClientResult.Fail(IdentityErrors.InvalidClient, "a client secret has at least 32 characters");
        }

        var generated = secret is null ? NewSecret() : null;
        await applications.UpdateAsync(application, secret ?? generated!, cancellationToken);
        await events.WriteAsync(new SecurityEvent(time.GetUtcNow(), SecurityEventActions.ClientChanged, "success",
            ClientId: clientId, Reason: "secret rotated", Actor: actor), cancellationToken);
        return new ClientResult(clientId, generated, null, null);
    }

    /// <summary>Removes a client with every authorization and token issued to it.</summary>
    public async Task<ClientResult> RemoveAsync(string clientId, string? actor, CancellationToken cancellationToken = default)
    {
        if (await applications.FindByClientIdAsync(clientId, cancellationToken) is not { } application)
        {
            return ClientResult.Fail(IdentityErrors.UnknownClient, $"no client '{clientId}'");
        }

        await applications.DeleteAsync(application, cancellationToken);
        await events.WriteAsync(new SecurityEvent(time.GetUtcNow(), SecurityEventActions.ClientChanged, "success",
            ClientId: clientId, Reason: "removed", Actor: actor), cancellationToken);
        return new ClientResult(clientId, null, null, null);
    }

    /// <summary>Removes clients that came from a policy file which no longer declares them (with their tokens).</summary>
    internal async Task<IReadOnlyList<string>> RetireUndeclaredAsync(IReadOnlySet<string> declared, CancellationToken cancellationToken)
    {
        var retired = new List<(object Application, string ClientId)>();
        await foreach (var application in applications.ListAsync(count: null, offset: null, cancellationToken))
        {
            var properties = await applications.GetPropertiesAsync(application, cancellationToken);
            var clientId = await applications.GetClientIdAsync(application, cancellationToken) ?? string.Empty;
            if (properties.ContainsKey(PolicySourceProperty) && !declared.Contains(clientId))
            {
                retired.Add((application, clientId));
            }
        }

        foreach (var (application, clientId) in retired)
        {
            await applications.DeleteAsync(application, cancellationToken);
            await events.WriteAsync(new SecurityEvent(time.GetUtcNow(), SecurityEventActions.ClientChanged, "success",
                ClientId: clientId, Reason: "removed: no longer declared in policies/identity/clients", Actor: "policy"), cancellationToken);
        }

        return [.. retired.Select(r => r.ClientId)];
    }

    /// <summary>The back-channel logout URI registered for a client, if any.</summary>
    public static Uri? BackchannelLogoutUriOf(OpenIddictApplicationDescriptor descriptor) =>
        descriptor.Properties.TryGetValue(BackchannelLogoutProperty, out var value) && value.ValueKind == System.Text.Json.JsonValueKind.String
            && Uri.TryCreate(value.GetString(), UriKind.Absolute, out var uri) ? uri : null;

    /// <summary>The name of the application property holding the back-channel logout URI.</summary>
    public const string BackchannelLogoutProperty = "backchannel_logout_uri";

    private const string PolicySourceProperty = "spbe_policy";

    private static OpenIddictApplicationDescriptor Describe(NewClient client, string? secret, bool fromPolicy = false)
    {
        var descriptor = new OpenIddictApplicationDescriptor
        {
            ClientId = client.ClientId,
            DisplayName = client.DisplayName ?? client.ClientId,
            ClientType = client.Public ? ClientTypes.Public : ClientTypes.Confidential,
            ClientSecret = client.Public ? null : secret,
            ConsentType = client.ThirdParty ? ConsentTypes.Explicit : ConsentTypes.Implicit,
            Requirements = { Requirements.Features.ProofKeyForCodeExchange },
        };
        foreach (var uri in client.RedirectUris)
        {
            descriptor.RedirectUris.Add(uri);
        }

        foreach (var uri in client.PostLogoutRedirectUris)
        {
            descriptor.PostLogoutRedirectUris.Add(uri);
        }

        if (client.BackchannelLogoutUri is { } logout)
        {
            descriptor.Properties[BackchannelLogoutProperty] = System.Text.Json.JsonSerializer.SerializeToElement(logout.AbsoluteUri);
        }

        if (fromPolicy)
        {
            descriptor.Properties[PolicySourceProperty] = System.Text.Json.JsonSerializer.SerializeToElement(true);
        }

        AddPermissions(descriptor, client);
        return descriptor;
    }

    /// <summary>Checks a registration; <see langword="null"/> when valid, otherwise the reason.</summary>
    internal static string? Validate(NewClient client)
    {
        if (string.IsNullOrWhiteSpace(client.ClientId) || client.ClientId.Length > 100 || client.ClientId.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')))
        {
            return "a client_id is 1-100 characters of letters, digits, '-', '_' and '.'";
        }

        // Note: the audiences of the provider's own APIs are not client ids (a token for them must not be a client's).
        if (client.ClientId is SsoDefaults.AdminAudience or SsoDefaults.SigningAudience)
        {
            return $"'{client.ClientId}' is reserved for the provider's own APIs";
        }

        // Note: a client acting on its own behalf has its client_id as subject; it must never look like an account id.
        if (Guid.TryParse(client.ClientId, out _))
        {
            return "a client_id must not look like a GUID (account ids are GUIDs)";
        }

        if (client.Grants.Count == 0 || client.Grants.Any(g => !KnownGrants.Contains(g)))
        {
            return $"grants must be among {string.Join(", ", KnownGrants)}";
        }

        if (client.Scopes.FirstOrDefault(s => !KnownScopes.Contains(s)) is { } scope)
        {
            return $"unknown scope '{scope}' (scopes: {string.Join(", ", KnownScopes)})";
        }

        var interactive = client.Grants.Contains(GrantTypes.AuthorizationCode);
        if (interactive && client.RedirectUris.Count == 0)
        {
            return "the authorization_code grant needs at least one redirect URI";
        }

        if (client.RedirectUris.Concat(client.PostLogoutRedirectUris).Concat(client.BackchannelLogoutUri is null ? [] : [client.BackchannelLogoutUri])
            .FirstOrDefault(u => !IsAcceptableRedirect(u)) is { } uri)
        {
            return $"redirect URI '{uri}' must be an absolute https URI (http only on loopback, RFC 8252) without a fragment";
        }

        if (client.Public && client.Grants.Contains(GrantTypes.ClientCredentials))
        {
            return "a public client cannot use client_credentials";
        }

        if (!client.Public && client.Secret is { Length: < 32 })
        {
            return "a client secret has at least 32 characters";
        }

        return null;
    }

    private static bool IsAcceptableRedirect(Uri uri) =>
        uri.IsAbsoluteUri
        && string.IsNullOrEmpty(uri.Fragment)
        && (uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback));

    private static void AddPermissions(OpenIddictApplicationDescriptor descriptor, NewClient client)
    {
        var permissions = descriptor.Permissions;
        permissions.Add(Permissions.Endpoints.Token);
        permissions.Add(Permissions.Endpoints.Revocation);
        if (!client.Public)
        {
            permissions.Add(Permissions.Endpoints.Introspection);
        }

        foreach (var grant in client.Grants)
        {
            permissions.Add(Permissions.Prefixes.GrantType + grant);
        }

        if (client.Grants.Contains(GrantTypes.AuthorizationCode))
        {
            permissions.Add(Permissions.Endpoints.Authorization);
            permissions.Add(Permissions.Endpoints.PushedAuthorization);
            permissions.Add(Permissions.Endpoints.EndSession);
            permissions.Add(Permissions.ResponseTypes.Code);
        }

        if (client.Grants.Contains(GrantTypes.DeviceCode))
        {
            permissions.Add(Permissions.Endpoints.DeviceAuthorization);
        }

        if (client.Grants.Contains(GrantTypes.TokenExchange))
        {
            permissions.Add(Permissions.Prefixes.Audience + SsoDefaults.SigningAudience);
        }

        foreach (var scope in client.Scopes)
        {
            permissions.Add(Permissions.Prefixes.Scope + scope);
        }
    }

    private static string NewSecret() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
