namespace Spbe.Security.Host.Hosting;

/// <summary>Headers every response carries: no sniffing, no framing, no referrer leaks, a strict default CSP.</summary>
internal sealed class SecurityHeadersMiddleware(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        var headers = context.Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        headers.ContentSecurityPolicy = "default-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'";
        headers["Cross-Origin-Opener-Policy"] = "same-origin";
        return next(context);
    }
}
