using Microsoft.AspNetCore;
using OpenIddict.Server;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Spbe.Security.Identity.Events;

/// <summary>
/// Emits a security event for every token endpoint response: issued, or refused with its OAuth error (which covers
/// failed client authentication, reused refresh tokens and replayed codes).
/// </summary>
internal sealed class TokenResponseAuditHandler(ISecurityEventSink sink, TimeProvider time) : IOpenIddictServerHandler<ApplyTokenResponseContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<ApplyTokenResponseContext>()
            .UseScopedHandler<TokenResponseAuditHandler>()
            .SetOrder(int.MinValue + 100_000)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public async ValueTask HandleAsync(ApplyTokenResponseContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var error = context.Response.Error;
        var grant = context.Request?.GrantType;
        await sink.WriteAsync(new SecurityEvent(
            time.GetUtcNow(),
            SecurityEventActions.Token,
            error is null ? "success" : "failure",
            ClientId: context.Request?.ClientId,
            SourceIp: context.Transaction.GetHttpRequest()?.HttpContext.Connection.RemoteIpAddress?.ToString(),
            Reason: error is null ? grant : $"{grant}: {error}"));
    }
}
