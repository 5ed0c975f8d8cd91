using Microsoft.Extensions.Options;
using OpenIddict.Server;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Spbe.Security.Identity.Server;

/// <summary>With a configured issuer, the device flow's <c>verification_uri</c> (shown to the user, who types it
/// into a browser) points under that issuer, not under the host the device happened to call.</summary>
internal sealed class DeviceVerificationUriHandler(IOptions<SsoOptions> sso) : IOpenIddictServerHandler<ApplyDeviceAuthorizationResponseContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<ApplyDeviceAuthorizationResponseContext>()
            .UseSingletonHandler<DeviceVerificationUriHandler>()
            .SetOrder(OpenIddict.Server.AspNetCore.OpenIddictServerAspNetCoreHandlers.ProcessJsonResponse<ApplyDeviceAuthorizationResponseContext>.Descriptor.Order - 1_000)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public ValueTask HandleAsync(ApplyDeviceAuthorizationResponseContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (sso.Value.Issuer is not { } issuer || context.BaseUri is not { } requestBase)
        {
            return ValueTask.CompletedTask;
        }

        if (Uri.TryCreate(context.Response.VerificationUri, UriKind.Absolute, out var plain))
        {
            context.Response.VerificationUri = DiscoveryMetadataHandler.Rebase(plain, requestBase, issuer)!.AbsoluteUri;
        }

        if (Uri.TryCreate(context.Response.VerificationUriComplete, UriKind.Absolute, out var complete))
        {
            context.Response.VerificationUriComplete = DiscoveryMetadataHandler.Rebase(complete, requestBase, issuer)!.AbsoluteUri;
        }

        return ValueTask.CompletedTask;
    }
}
