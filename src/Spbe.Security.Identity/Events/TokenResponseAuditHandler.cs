using Microsoft.AspNetCore;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
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
            // Note: just before the response is written, when OpenIddict has settled the final error code.
            .SetOrder(OpenIddict.Server.AspNetCore.OpenIddictServerAspNetCoreHandlers.ProcessJsonResponse<ApplyTokenResponseContext>.Descriptor.Order - 1_000)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public async ValueTask HandleAsync(ApplyTokenResponseContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var error = context.Response.Error;
        var grant = context.Request?.GrantType;
        var clientId = context.Request?.ClientId;
        var sourceIp = context.Transaction.GetHttpRequest()?.HttpContext.Connection.RemoteIpAddress?.ToString();
        await sink.WriteAsync(new SecurityEvent(
            time.GetUtcNow(),
            SecurityEventActions.Token,
            error is null ? "success" : "failure",
            ClientId: clientId,
            SourceIp: sourceIp,
            Reason: error is null ? grant : $"{grant}: {error}"));

        // Note: OpenIddict has already revoked the whole family (refresh leeway 0) or what the first code issued;
        // these events let the SOC correlate reuse and client-secret guessing.
        if (error == Errors.InvalidGrant && context.Response.ErrorDescription?.Contains("already been redeemed", StringComparison.Ordinal) == true)
        {
            await sink.WriteAsync(new SecurityEvent(time.GetUtcNow(), SecurityEventActions.RefreshReuse, "failure",
                ClientId: clientId, SourceIp: sourceIp, Reason: grant));
        }
        else if (error == Errors.InvalidClient)
        {
            await sink.WriteAsync(new SecurityEvent(time.GetUtcNow(), SecurityEventActions.ClientAuthentication, "failure",
                ClientId: clientId, SourceIp: sourceIp, Reason: "token endpoint"));
        }
    }
}
