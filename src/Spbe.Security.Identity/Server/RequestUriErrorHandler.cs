using OpenIddict.Server;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Spbe.Security.Identity.Server;

/// <summary>
/// An authorization request whose <c>request_uri</c> (from PAR) is unknown, expired or already used is refused with
/// RFC 9101's <c>invalid_request_uri</c>, which is what relying parties look for; OpenIddict reports it as a
/// generic invalid token.
/// </summary>
internal sealed class RequestUriErrorHandler : IOpenIddictServerHandler<ApplyAuthorizationResponseContext>
{
    public const string InvalidRequestUri = "invalid_request_uri";

    public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<ApplyAuthorizationResponseContext>()
            .UseSingletonHandler<RequestUriErrorHandler>()
            .SetOrder(int.MinValue + 100_000)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public ValueTask HandleAsync(ApplyAuthorizationResponseContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Request?.RequestUri is not null && context.Response.Error == OpenIddict.Abstractions.OpenIddictConstants.Errors.InvalidToken)
        {
            context.Response.Error = InvalidRequestUri;
        }

        return ValueTask.CompletedTask;
    }
}
