using Prometheus;
using Spbe.Security.Pki.Revocation;

namespace Spbe.Security.Host.Endpoints;

/// <summary>
/// Serves pre-signed OCSP answers to GET requests before the rest of the pipeline runs (routing, localisation,
/// authentication, per-request metrics and logging): an OCSP GET is anonymous, cacheable and binary, and relying
/// parties ask the same questions over and over. A miss falls through to <see cref="PkiEndpoints"/>, which signs and
/// caches the answer.
/// </summary>
internal static class OcspFastPath
{
    private const string Prefix = "/pki/ocsp/";

    private static readonly Counter Served = Metrics.CreateCounter("spbe_pki_ocsp_cached_answers_total", "OCSP GET answers served pre-signed by the fast path.");

    public static IApplicationBuilder UseOcspFastPath(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var responder = app.ApplicationServices.GetRequiredService<OcspResponder>();
        return app.Use(async (context, next) =>
        {
            var path = context.Request.Path.Value;
            if (HttpMethods.IsGet(context.Request.Method) && path is not null && path.Length > Prefix.Length && path.Length < OcspResponder.MaxRequestSize * 2
                && path.StartsWith(Prefix, StringComparison.Ordinal)
                && TryDecode(path[Prefix.Length..], out var request) && responder.TryGetCached(request, out var body))
            {
                Served.Inc();
                var response = context.Response;
                response.StatusCode = StatusCodes.Status200OK;
                response.ContentType = "application/ocsp-response";
                response.ContentLength = body.Length;
                response.Headers.CacheControl = "public, max-age=300, no-transform, must-revalidate";
                response.Headers.XContentTypeOptions = "nosniff";
                await response.Body.WriteAsync(body, context.RequestAborted);
                return;
            }

            await next(context);
        });
    }

    private static bool TryDecode(string encoded, out byte[] request)
    {
        try
        {
            request = Convert.FromBase64String(Uri.UnescapeDataString(encoded));
            return true;
        }
        catch (FormatException)
        {
            request = [];
            return false;
        }
    }
}
