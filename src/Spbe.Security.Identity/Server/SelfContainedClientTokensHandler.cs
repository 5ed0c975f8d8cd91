using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Spbe.Security.Identity.Server;

/// <summary>
/// Access tokens a client obtains for itself (client_credentials) are self-contained signed JWTs with no database
/// entry: a service asking for tokens many times a second then costs no write per token. They cannot be revoked one
/// by one (removing or rotating the client stops new ones; existing ones expire with the access-token lifetime);
/// tokens issued to users keep their entries, so refresh rotation, reuse detection and revocation are unaffected.
/// </summary>
internal sealed class SelfContainedClientTokensHandler : IOpenIddictServerHandler<GenerateTokenContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<GenerateTokenContext>()
            .UseSingletonHandler<SelfContainedClientTokensHandler>()
            .SetOrder(OpenIddictServerHandlers.Protection.CreateTokenEntry.Descriptor.Order - 500)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public ValueTask HandleAsync(GenerateTokenContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.TokenType == TokenTypeIdentifiers.AccessToken && context.Request?.GrantType == GrantTypes.ClientCredentials)
        {
            context.CreateTokenEntry = false;
        }

        return ValueTask.CompletedTask;
    }
}
