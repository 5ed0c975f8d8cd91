using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using Spbe.Security.Identity.Events;
using Spbe.Security.Identity.Server;

namespace Spbe.Security.Host.Sso;

/// <summary>
/// A per-address limit on sign-in form submissions (password, second factor, device code), on top of the
/// per-account lockout: it slows password spraying across many NIPs from one address, which lockout alone cannot.
/// </summary>
internal static class SignInRateLimit
{
    private static readonly string[] LimitedPaths = ["/masuk", "/masuk/verifikasi", "/akun/mfa", SsoDefaults.DeviceVerificationPath];

    public static IServiceCollection AddSpbeSignInRateLimit(this IServiceCollection services)
    {
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<SsoOptions>>((limiter, sso) =>
        {
            var perMinute = sso.Value.SignInAttemptsPerMinute;
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
                IsSignInSubmission(context.Request)
                    ? RateLimitPartition.GetFixedWindowLimiter(PartitionOf(context.Connection.RemoteIpAddress),
                        _ => new FixedWindowRateLimiterOptions { PermitLimit = perMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 })
                    : RateLimitPartition.GetNoLimiter(string.Empty));
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.OnRejected = async (rejected, cancellationToken) =>
            {
                var context = rejected.HttpContext;
                var services = context.RequestServices;
                await services.GetRequiredService<ISecurityEventSink>().WriteAsync(new SecurityEvent(
                    services.GetRequiredService<TimeProvider>().GetUtcNow(), SecurityEventActions.RateLimited, "failure",
                    SourceIp: context.Connection.RemoteIpAddress?.ToString(), Reason: context.Request.Path), cancellationToken);
                context.Response.Headers.RetryAfter = "60";
                context.Response.ContentType = "text/plain; charset=utf-8";
                await context.Response.WriteAsync(services.GetRequiredService<UiText>()["Terlalu banyak percobaan dari alamat Anda. Tunggu sebentar lalu coba lagi."], cancellationToken);
            };
        });
        return services;
    }

    // Note: an IPv6 client usually holds a whole /64; counting per address would let it rotate past the limit.
    private static string PartitionOf(System.Net.IPAddress? address) => address switch
    {
        null => "?",
        { IsIPv4MappedToIPv6: true } => address.MapToIPv4().ToString(),
        { AddressFamily: System.Net.Sockets.AddressFamily.InterNetworkV6 } => Convert.ToHexString(address.GetAddressBytes(), 0, 8) + "::/64",
        _ => address.ToString(),
    };

    private static bool IsSignInSubmission(HttpRequest request) =>
        HttpMethods.IsPost(request.Method) && LimitedPaths.Any(p => request.Path.Equals(p, StringComparison.OrdinalIgnoreCase));
}
