using System.Collections.Immutable;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Spbe.Security.Identity.Server;

/// <summary>Adds what discovery would otherwise not say: the <c>acr</c> values accepted in <c>acr_values</c>.</summary>
internal sealed class DiscoveryMetadataHandler : IOpenIddictServerHandler<HandleConfigurationRequestContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<HandleConfigurationRequestContext>()
            .UseSingletonHandler<DiscoveryMetadataHandler>()
            .SetOrder(int.MaxValue - 100_000)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public ValueTask HandleAsync(HandleConfigurationRequestContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Metadata["acr_values_supported"] = new OpenIddictParameter(ImmutableArray.CreateRange<string?>(SsoAcr.Supported));
        context.Metadata[OpenIddictConstants.Metadata.ClaimsParameterSupported] = true;
        context.Metadata["backchannel_logout_supported"] = true;
        return ValueTask.CompletedTask;
    }
}
