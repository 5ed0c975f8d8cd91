using System.Text.Json;
using System.Text.Json.Serialization;
using Spbe.Security.Identity.Events;
using Spbe.Security.Pki.Signing;

namespace Spbe.Security.Host.Endpoints;

/// <summary>
/// Verification anyone can use: <c>POST /api/verify</c> takes a PDF (the body as <c>application/pdf</c>, or a
/// multipart form field <c>file</c>), or any file with its detached CAdES signature (form fields <c>file</c> and
/// <c>signature</c>, the <c>.p7s</c>), and answers the validation report as JSON. Anonymous on purpose (outsiders
/// check letters from the city); bounded in size and in concurrent work so it cannot be used to exhaust the host.
/// </summary>
internal static class SigningEndpoints
{
    /// <summary>How many documents are verified at once; more wait briefly, then get 429.</summary>
    private static readonly SemaphoreSlim Verifications = new(Math.Max(2, Environment.ProcessorCount * 2));

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    public static IEndpointRouteBuilder MapSigningEndpoints(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapPost("/api/verify", VerifyAsync).AllowAnonymous().DisableAntiforgery();
        return endpoints;
    }

    private static async Task<IResult> VerifyAsync(HttpContext context, DocumentVerifier verifier, ISecurityEventSink events, TimeProvider time)
    {
        var document = await ReadDocumentAsync(context);
        if (document.Error is { } error)
        {
            return Results.Problem(statusCode: document.Status, title: error, extensions: new Dictionary<string, object?> { ["code"] = document.Code });
        }

        var report = await VerifyLimitedAsync(verifier, document.Bytes!, context.RequestAborted, document.Signature);
        if (report is null)
        {
            context.Response.Headers.RetryAfter = "5";
            return Results.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "too many documents are being verified; try again shortly");
        }

        await RecordAsync(events, time, context, report);
        return Results.Json(report, Json);
    }

    /// <summary>Verifies with the concurrency bound; null when the host is saturated.</summary>
    public static async Task<VerificationReport?> VerifyLimitedAsync(DocumentVerifier verifier, byte[] document, CancellationToken cancellationToken, byte[]? signature = null)
    {
        if (!await Verifications.WaitAsync(TimeSpan.FromSeconds(10), cancellationToken))
        {
            return null;
        }

        try
        {
            return signature is null
                ? await verifier.VerifyPdfAsync(document, cancellationToken)
                : await verifier.VerifyDetachedAsync(document, signature, cancellationToken);
        }
        finally
        {
            Verifications.Release();
        }
    }

    public static ValueTask RecordAsync(ISecurityEventSink events, TimeProvider time, HttpContext context, VerificationReport report) =>
        events.WriteAsync(new SecurityEvent(time.GetUtcNow(), SecurityEventActions.TteVerify, report.Indication, UserName: context.User.Identity?.Name,
            SourceIp: context.Connection.RemoteIpAddress?.ToString(), Reason: report.EventReason()),
            context.RequestAborted);

    /// <summary>The largest detached signature accepted (a CMS with its chain and timestamp is a few KiB).</summary>
    private const int MaxSignatureSize = 1024 * 1024;

    private sealed record Document(byte[]? Bytes, int Status, string? Error, string? Code, byte[]? Signature = null);

    private static async Task<Document> ReadDocumentAsync(HttpContext context)
    {
        const int limit = DocumentVerifier.MaxDocumentSize;
        if (context.Request.ContentLength > limit + (64 * 1024))
        {
            return new Document(null, StatusCodes.Status413PayloadTooLarge, $"the document is larger than {limit / (1024 * 1024)} MiB", SigningErrors.DocumentTooLarge);
        }

        RequestBodies.Allow(context, limit + (64 * 1024));
        try
        {
            if (context.Request.HasFormContentType)
            {
                var form = await context.Request.ReadFormAsync(context.RequestAborted);
                if (form.Files.GetFile("file") is not { } file)
                {
                    return new Document(null, StatusCodes.Status400BadRequest, "send the PDF as the form field 'file' or as an application/pdf body", SigningErrors.DocumentUnreadable);
                }

                byte[]? signature = null;
                if (form.Files.GetFile("signature") is { } detached)
                {
                    await using var signatureStream = detached.OpenReadStream();
                    signature = await RequestBodies.ReadAtMostAsync(signatureStream, MaxSignatureSize, context.RequestAborted);
                    if (signature is not { Length: > 0 })
                    {
                        return new Document(null, StatusCodes.Status400BadRequest, $"the detached signature must be 1 byte to {MaxSignatureSize / 1024} KiB", SigningErrors.DocumentUnreadable);
                    }
                }

                await using var content = file.OpenReadStream();
                return Read(await RequestBodies.ReadAtMostAsync(content, limit, context.RequestAborted), signature);
            }

            return Read(await RequestBodies.ReadAtMostAsync(context.Request.Body, limit, context.RequestAborted), null);
        }
        catch (Exception ex) when (ex is BadHttpRequestException or InvalidDataException or IOException)
        {
            return new Document(null, StatusCodes.Status413PayloadTooLarge, "the request body cannot be read (too large or cut off)", SigningErrors.DocumentTooLarge);
        }

        static Document Read(byte[]? bytes, byte[]? signature) => bytes is null
            ? new Document(null, StatusCodes.Status413PayloadTooLarge, $"the document is larger than {limit / (1024 * 1024)} MiB", SigningErrors.DocumentTooLarge)
            : bytes.Length == 0
                ? new Document(null, StatusCodes.Status400BadRequest, "the request carries no document", SigningErrors.DocumentUnreadable)
                : new Document(bytes, StatusCodes.Status200OK, null, null, signature);
    }
}
