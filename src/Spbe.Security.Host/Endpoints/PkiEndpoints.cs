using Spbe.Security.Pki.Authority;
using Spbe.Security.Pki.Revocation;
using Spbe.Security.Pki.Timestamping;

namespace Spbe.Security.Host.Endpoints;

/// <summary>
/// The PKI's public endpoints: CA certificates, CRLs, OCSP (RFC 6960, GET and POST) and the timestamp authority
/// (RFC 3161). They are anonymous on purpose: relying parties anywhere must reach them, and what they serve is
/// public or signed.
/// </summary>
internal static partial class PkiEndpoints
{
    public static IEndpointRouteBuilder MapPkiEndpoints(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var pki = endpoints.MapGroup("/pki").AllowAnonymous().DisableAntiforgery();

        pki.MapGet("/ca/{name}.crt", (string name, CertificateAuthority authority) =>
            authority.HierarchyCertificate(name) is { } der && name is "root" or "issuing"
                ? Results.Bytes(der, "application/pkix-cert")
                : NotFound("no CA certificate by that name"));

        pki.MapGet("/crl/{name}.crl", async (string name, CertificateAuthority authority, HttpContext context) =>
        {
            var path = authority.CrlFile(name);
            if (path is null || !File.Exists(path))
            {
                return NotFound("no CRL by that name");
            }

            context.Response.Headers.CacheControl = "public, max-age=300";
            return Results.Bytes(await File.ReadAllBytesAsync(path, context.RequestAborted), "application/pkix-crl");
        });

        pki.MapPost("/ocsp", async (HttpContext context, OcspResponder responder, ILoggerFactory logging) =>
        {
            var body = await ReadBodyAsync(context, OcspResponder.MaxRequestSize);
            var answer = await responder.RespondAsync(body ?? new byte[OcspResponder.MaxRequestSize + 1], context.RequestAborted);
            return Ocsp(context, answer, logging, cacheable: false);
        });

        // Note: RFC 6960 appendix A.1: GET {url}/{url-encoding of base-64 encoding of the DER OCSPRequest}.
        pki.MapGet("/ocsp/{**request}", async (string request, HttpContext context, OcspResponder responder, ILoggerFactory logging) =>
        {
            var text = Uri.UnescapeDataString(request);
            byte[] der;
            try
            {
                der = text.Length > OcspResponder.MaxRequestSize * 2 ? [] : Convert.FromBase64String(text);
            }
            catch (FormatException)
            {
                der = [];
            }

            var answer = await responder.RespondAsync(der, context.RequestAborted);
            return Ocsp(context, answer, logging, cacheable: answer.ErrorCode is null);
        });

        pki.MapPost("/tsa", async (HttpContext context, TimestampAuthority tsa, ILoggerFactory logging) =>
        {
            var body = await ReadBodyAsync(context, TimestampAuthority.MaxRequestSize);
            var answer = tsa.Respond(body ?? new byte[TimestampAuthority.MaxRequestSize + 1]);
            if (answer.ErrorCode is { } code)
            {
                LogRefused(logging.CreateLogger("Spbe.Security.Pki.Tsa"), "timestamp", code);
            }

            return Results.Bytes(answer.Body, "application/timestamp-reply");
        });

        return endpoints;
    }

    private static IResult Ocsp(HttpContext context, OcspAnswer answer, ILoggerFactory logging, bool cacheable)
    {
        if (answer.ErrorCode is { } code)
        {
            LogRefused(logging.CreateLogger("Spbe.Security.Pki.Ocsp"), "OCSP", code);
        }

        // Note: RFC 5019 section 6: GET answers may be cached by HTTP caches until they would be re-signed.
        context.Response.Headers.CacheControl = cacheable ? "public, max-age=300, no-transform, must-revalidate" : "no-store";
        return Results.Bytes(answer.Body, "application/ocsp-response");
    }

    /// <summary>The body, or null when it is larger than <paramref name="limit"/> (nothing more is read).</summary>
    private static async Task<byte[]?> ReadBodyAsync(HttpContext context, int limit)
    {
        if (context.Request.ContentLength > limit)
        {
            return null;
        }

        RequestBodies.Allow(context, limit);
        try
        {
            return await RequestBodies.ReadAtMostAsync(context.Request.Body, limit, context.RequestAborted);
        }
        catch (BadHttpRequestException)
        {
            return null;
        }
    }

    private static IResult NotFound(string detail) => Results.Problem(statusCode: StatusCodes.Status404NotFound, title: detail);

    [LoggerMessage(EventId = 4140, Level = LogLevel.Information, Message = "{Service} request refused with {Code}")]
    private static partial void LogRefused(ILogger logger, string service, string code);
}
