using System.Collections.Immutable;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Spbe.Security.Identity.Server;

/// <summary>
/// Adds what discovery would otherwise not say (the <c>acr</c> values accepted in <c>acr_values</c>, the <c>claims</c>
/// parameter, back-channel logout) and, with a configured issuer, puts every endpoint under that issuer instead of
/// under whatever host the request named.
/// </summary>
internal sealed class DiscoveryMetadataHandler(IOptions<SsoOptions> sso) : IOpenIddictServerHandler<HandleConfigurationRequestContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<HandleConfigurationRequestContext>()
            .UseSingletonHandler<DiscoveryMetadataHandler>()
            // Note: right after OpenIddict attaches the endpoint addresses (built from the request), so they can be rebased.
            .SetOrder(OpenIddictServerHandlers.Discovery.AttachEndpoints.Descriptor.Order + 500)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public ValueTask HandleAsync(HandleConfigurationRequestContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Metadata["acr_values_supported"] = new OpenIddictParameter(ImmutableArray.CreateRange<string?>(SsoAcr.Supported));
        context.Metadata[OpenIddictConstants.Metadata.ClaimsParameterSupported] = true;
        context.Metadata["backchannel_logout_supported"] = true;
        if (sso.Value.Issuer is { } issuer && context.BaseUri is { } requestBase)
        {
            // Note: OpenIddict builds endpoint addresses from the request's host; behind a proxy, or with a forged Host
            // header, that is not where relying parties should send anything.
            context.AuthorizationEndpoint = Rebase(context.AuthorizationEndpoint, requestBase, issuer);
            context.TokenEndpoint = Rebase(context.TokenEndpoint, requestBase, issuer);
            context.JsonWebKeySetEndpoint = Rebase(context.JsonWebKeySetEndpoint, requestBase, issuer);
            context.UserInfoEndpoint = Rebase(context.UserInfoEndpoint, requestBase, issuer);
            context.EndSessionEndpoint = Rebase(context.EndSessionEndpoint, requestBase, issuer);
            context.IntrospectionEndpoint = Rebase(context.IntrospectionEndpoint, requestBase, issuer);
            context.RevocationEndpoint = Rebase(context.RevocationEndpoint, requestBase, issuer);
            context.DeviceAuthorizationEndpoint = Rebase(context.DeviceAuthorizationEndpoint, requestBase, issuer);
            context.PushedAuthorizationEndpoint = Rebase(context.PushedAuthorizationEndpoint, requestBase, issuer);
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>The same path under <paramref name="issuer"/>; addresses elsewhere stay as they are.</summary>
    internal static Uri? Rebase(Uri? address, Uri requestBase, Uri issuer)
    {
        if (address is null || !address.IsAbsoluteUri)
        {
            return address;
        }

        var prefix = requestBase.AbsoluteUri.EndsWith('/') ? requestBase.AbsoluteUri : requestBase.AbsoluteUri + "/";
        if (!address.AbsoluteUri.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
        {
            return address;
        }

        var root = issuer.AbsoluteUri.EndsWith('/') ? issuer : new Uri(issuer.AbsoluteUri + "/");
        return new Uri(root, address.AbsoluteUri[prefix.Length..]);
    }
}
