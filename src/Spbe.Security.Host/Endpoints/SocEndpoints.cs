using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using OpenIddict.Validation.AspNetCore;
using Spbe.Security.Host.Soc;
using Spbe.Security.Identity.Accounts;
using Spbe.Security.Identity.Server;
using Spbe.Security.Soc;
using Spbe.Security.Soc.Ingest;
using Spbe.Security.Soc.Store;

namespace Spbe.Security.Host.Endpoints;

/// <summary>
/// The SOC over HTTP: <c>POST /api/soc/ingest</c> for applications (a bearer token per source from sources.yaml; one
/// JSON object, a JSON array of them, or NDJSON), and <c>GET /api/soc/events</c> for people (events with their alert
/// under <c>rule</c>; <c>min_level</c> and <c>rule</c> keep the alerts of a level or a rule), with an SSO token with the
/// <c>spbe.soc</c> scope; city-wide for <c>admin</c>, <c>csirt-analyst</c> and <c>csirt-admin</c>, one's own OPD for
/// <c>opd-admin</c>, nothing for anyone else: see <see cref="SocViewer"/>).
/// </summary>
internal static class SocEndpoints
{
    private const string NdJson = "application/x-ndjson";

    public static IEndpointRouteBuilder MapSocEndpoints(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapPost("/api/soc/ingest", IngestAsync).AllowAnonymous().DisableAntiforgery().WithTags("Kejadian")
            .WithSummary("Ingest events as JSON or NDJSON, with the bearer token of a source in policies/soc/sources.yaml")
            .AddOpenApiOperationTransformer((operation, context, cancellationToken) =>
                SocOpenApi.RequestBodyAsync(operation, context, "application/json", typeof(JsonElement), cancellationToken, NdJson))
            .Produces(StatusCodes.Status200OK, contentType: "application/json")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status415UnsupportedMediaType).ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        endpoints.MapGet("/api/soc/events", SearchAsync).AllowAnonymous().WithTags("Kejadian")
            .WithSummary("Search stored events within the caller's OPDs")
            .WithDescription("Parameters: since, until (ISO 8601), opd, source, host, program, severity, min_level, rule, q (full text), field.NAME=VALUE, limit (1-1000), cursor (from next_cursor).")
            .Produces(StatusCodes.Status200OK, contentType: "application/json")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden);
        endpoints.MapGet("/api/soc/events/count", CountAsync).AllowAnonymous().WithTags("Kejadian")
            .WithSummary("Count stored events matching the same parameters as the search")
            .Produces(StatusCodes.Status200OK, contentType: "application/json")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden);
        return endpoints;
    }

    internal static IResult Problem(int status, string code, string title) =>
        Results.Problem(statusCode: status, title: title, extensions: new Dictionary<string, object?> { ["code"] = code });

    private static async Task<IResult> IngestAsync(HttpContext context, SourceCatalog sources, IngestPipeline pipeline, IOptions<SocOptions> options, TimeProvider time)
    {
        var header = context.Request.Headers.Authorization.ToString();
        var source = header.StartsWith("Bearer ", StringComparison.Ordinal) ? sources.ForToken(header["Bearer ".Length..].Trim()) : null;
        if (source is null)
        {
            context.Response.Headers.WWWAuthenticate = "Bearer";
            pipeline.Metrics.Dropped("unauthenticated");
            return Problem(StatusCodes.Status401Unauthorized, SocErrors.IngestUnauthenticated, "a bearer token of a source in policies/soc/sources.yaml is required");
        }

        var mediaType = context.Request.ContentType?.Split(';')[0].Trim().ToLowerInvariant();
        if (mediaType is not ("application/json" or NdJson))
        {
            return Problem(StatusCodes.Status415UnsupportedMediaType, SocErrors.IngestUnsupportedMediaType, "send application/json or application/x-ndjson");
        }

        var limit = options.Value.HttpMaxBodyBytes;
        if (context.Request.ContentLength > limit)
        {
            pipeline.Metrics.Dropped("too_large");
            return Problem(StatusCodes.Status413PayloadTooLarge, SocErrors.IngestTooLarge, $"the body exceeds {limit} bytes; split it into smaller requests");
        }

        var body = new MemoryStream();
        var buffer = new byte[64 * 1024];
        int read;
        while ((read = await context.Request.Body.ReadAsync(buffer, context.RequestAborted)) > 0)
        {
            if (body.Length + read > limit)
            {
                pipeline.Metrics.Dropped("too_large");
                return Problem(StatusCodes.Status413PayloadTooLarge, SocErrors.IngestTooLarge, $"the body exceeds {limit} bytes; split it into smaller requests");
            }

            body.Write(buffer, 0, read);
        }

        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var peer = context.Connection.RemoteIpAddress is { } address ? IngestContextAddress(address) : "";
        var records = new List<IngestRecord>();
        var rejected = new List<object>();
        foreach (var (line, json) in Split(body.GetBuffer().AsMemory(0, (int)body.Length), mediaType == NdJson))
        {
            if (!IsObject(json.Span))
            {
                rejected.Add(new { line, code = SocErrors.IngestInvalidJson, reason = "not a JSON object" });
                continue;
            }

            var flags = IngestFlags.None;
            var raw = json;
            if (raw.Length > options.Value.MaxMessageBytes)
            {
                // Note: a cut JSON object is no longer JSON; it is kept as text, flagged.
                raw = raw[..options.Value.MaxMessageBytes];
                flags |= IngestFlags.Truncated;
            }

            records.Add(new IngestRecord(now, IngestTransport.Http, flags, peer, source, raw.ToArray()));
        }

        if (rejected.Count > 0)
        {
            pipeline.Metrics.Dropped("invalid_json", rejected.Count);
        }

        if (records.Count == 0)
        {
            return Results.Json(new { accepted = 0, rejected, code = SocErrors.IngestInvalidJson }, statusCode: StatusCodes.Status400BadRequest);
        }

        try
        {
            // Note: answered only once durable (the write-ahead log): a 200 means the events survive a crash.
            await pipeline.SubmitAsync(records, durable: true, context.RequestAborted);
        }
        catch (InvalidOperationException)
        {
            return Problem(StatusCodes.Status503ServiceUnavailable, SocErrors.IngestUnavailable, "the SOC pipeline is stopping; retry shortly");
        }

        return Results.Ok(new { accepted = records.Count, rejected });
    }

    private static string IngestContextAddress(System.Net.IPAddress address) => (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).ToString();

    private static bool IsObject(ReadOnlySpan<byte> json)
    {
        try
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 32 });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            reader.Skip();
            return !reader.Read();
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>The JSON values of a body, each with its line (NDJSON) or element number (an array) for error reports.</summary>
    private static IEnumerable<(int Line, ReadOnlyMemory<byte> Json)> Split(ReadOnlyMemory<byte> body, bool ndjson)
    {
        if (ndjson)
        {
            var line = 0;
            while (body.Length > 0)
            {
                line++;
                var end = body.Span.IndexOf((byte)'\n');
                var current = end < 0 ? body : body[..end];
                body = end < 0 ? ReadOnlyMemory<byte>.Empty : body[(end + 1)..];
                var trimmed = Trim(current);
                if (trimmed.Length > 0)
                {
                    yield return (line, trimmed);
                }
            }

            yield break;
        }

        var whole = Trim(body);
        if (whole.Length > 0 && whole.Span[0] == '[')
        {
            List<ReadOnlyMemory<byte>>? elements = null;
            try
            {
                using var document = JsonDocument.Parse(whole, new JsonDocumentOptions { MaxDepth = 32 });
                elements = [.. document.RootElement.EnumerateArray().Select(e => (ReadOnlyMemory<byte>)Encoding.UTF8.GetBytes(e.GetRawText()))];
            }
            catch (JsonException)
            {
            }

            if (elements is null)
            {
                yield return (1, whole);
                yield break;
            }

            for (var i = 0; i < elements.Count; i++)
            {
                yield return (i + 1, elements[i]);
            }

            yield break;
        }

        yield return (1, whole);
    }

    private static ReadOnlyMemory<byte> Trim(ReadOnlyMemory<byte> value)
    {
        var span = value.Span;
        int start = 0, end = span.Length;
        while (start < end && span[start] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
        {
            start++;
        }

        while (end > start && span[end - 1] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
        {
            end--;
        }

        return value[start..end];
    }

    /// <summary>Who may read which events: null scope = the whole city; an error result when the caller may read none.</summary>
    private static async Task<(IReadOnlyList<string>? Scope, IResult? Error)> AuthorizeAsync(HttpContext context)
    {
        var (viewer, error) = await ViewerAsync(context);
        return viewer is null ? (null, error) : (viewer.Scope, null);
    }

    /// <summary>The SOC viewer behind the request's bearer token (a user's token with the <c>spbe.soc</c> scope), or the
    /// error to answer with.</summary>
    internal static async Task<(SocViewer? Viewer, IResult? Error)> ViewerAsync(HttpContext context)
    {
        var result = await context.AuthenticateAsync(OpenIddictValidationAspNetCoreDefaults.AuthenticationScheme);
        if (!result.Succeeded || result.Principal is not { } principal)
        {
            return (null, Problem(StatusCodes.Status401Unauthorized, SocErrors.QueryUnauthenticated, "a bearer access token with the spbe.soc scope is required"));
        }

        var users = context.RequestServices.GetRequiredService<UserManager<AsnUser>>();
        var user = Guid.TryParse(principal.GetClaim(OpenIddictConstants.Claims.Subject), out var id) ? await users.FindByIdAsync(id.ToString()) : null;
        if (!principal.HasAudience(SsoDefaults.SocAudience) || user is not { Disabled: false })
        {
            return (null, Problem(StatusCodes.Status403Forbidden, SocErrors.QueryForbidden, "the token is not a user's token for the SOC API (scope spbe.soc)"));
        }

        // Note: roles are read again on every call, so a removed role takes effect at once, not when the token expires.
        return await SocViewer.ForAsync(users, user) is { } viewer
            ? (viewer, null)
            : (null, Problem(StatusCodes.Status403Forbidden, SocErrors.QueryForbidden, "the SOC needs the csirt-analyst, csirt-admin, opd-admin or admin role"));
    }

    private static async Task<IResult> SearchAsync(HttpContext context, IEventStore store)
    {
        var (scope, error) = await AuthorizeAsync(context);
        if (error is not null)
        {
            return error;
        }

        if (!TryBuild(context.Request.Query, scope, out var query, out var problem))
        {
            return problem!;
        }

        EventPage page;
        try
        {
            page = await store.QueryAsync(query!, context.RequestAborted);
        }
        catch (ArgumentException ex)
        {
            return Problem(StatusCodes.Status400BadRequest, SocErrors.QueryInvalid, ex.Message.Split(" (Parameter", 2)[0]);
        }

        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        await using var writer = new Utf8JsonWriter(context.Response.Body);
        SocEventJson.WritePage(writer, page);
        await writer.FlushAsync(context.RequestAborted);
        return Results.Empty;
    }

    private static async Task<IResult> CountAsync(HttpContext context, IEventStore store)
    {
        var (scope, error) = await AuthorizeAsync(context);
        if (error is not null)
        {
            return error;
        }

        if (!TryBuild(context.Request.Query, scope, out var query, out var problem))
        {
            return problem!;
        }

        try
        {
            return Results.Ok(new { count = await store.CountAsync(query!, context.RequestAborted) });
        }
        catch (ArgumentException ex)
        {
            return Problem(StatusCodes.Status400BadRequest, SocErrors.QueryInvalid, ex.Message.Split(" (Parameter", 2)[0]);
        }
    }

    private static bool TryBuild(IQueryCollection q, IReadOnlyList<string>? scope, out EventQuery? query, out IResult? problem)
    {
        query = null;
        problem = null;
        try
        {
            query = BuildQuery(q, scope);
            return true;
        }
        catch (SpbeException ex)
        {
            problem = Problem(ex.Code == SocErrors.QueryForbidden ? StatusCodes.Status403Forbidden : StatusCodes.Status400BadRequest, ex.Code, ex.Message);
            return false;
        }
    }

    /// <summary>The event query of a request's parameters (the API's and the console's search), within
    /// <paramref name="scope"/>; throws <see cref="SpbeException"/> with <see cref="SocErrors.QueryInvalid"/> or
    /// <see cref="SocErrors.QueryForbidden"/>.</summary>
    internal static EventQuery BuildQuery(IQueryCollection q, IReadOnlyList<string>? scope)
    {
        DateTimeOffset? Time(string name)
        {
            var text = q[name].ToString();
            if (text.Length == 0)
            {
                return null;
            }

            return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value)
                ? value
                : throw new FormatException($"'{name}' must be an ISO 8601 time");
        }

        string? Text(string name) => q[name].ToString() is { Length: > 0 } value ? value : null;
        try
        {
            var limit = Text("limit") is { } l ? int.Parse(l, NumberStyles.None, CultureInfo.InvariantCulture) : 100;
            int? severity = Text("severity") is { } s ? int.Parse(s, NumberStyles.None, CultureInfo.InvariantCulture) : null;
            int? level = Text("min_level") is { } m ? int.Parse(m, NumberStyles.None, CultureInfo.InvariantCulture) : null;
            int? rule = Text("rule") is { } r ? int.Parse(r, NumberStyles.None, CultureInfo.InvariantCulture) : null;
            var fields = q.Where(p => p.Key.StartsWith("field.", StringComparison.Ordinal))
                .ToDictionary(p => p.Key["field.".Length..], p => p.Value.ToString(), StringComparer.Ordinal);
            var opd = Text("opd");
            if (scope is not null && opd is not null && !scope.Contains(opd))
            {
                throw new SpbeException(SocErrors.QueryForbidden, $"you may read only the events of {string.Join(", ", scope)}");
            }

            return new EventQuery
            {
                Since = Time("since"), Until = Time("until"), Scope = scope, Opd = opd, Source = Text("source"), Host = Text("host"),
                Program = Text("program"), MaxSeverity = severity, MinLevel = level, RuleId = rule, Text = Text("q"), Fields = fields, Limit = Math.Clamp(limit, 1, EventQuery.MaxLimit),
                Cursor = Text("cursor"),
            };
        }
        catch (Exception ex) when (ex is FormatException or OverflowException)
        {
            throw new SpbeException(SocErrors.QueryInvalid, ex.Message, ex);
        }
    }
}
