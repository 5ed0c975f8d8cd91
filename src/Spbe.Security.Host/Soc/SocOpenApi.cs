using System.Text.Json;
using Microsoft.OpenApi;

namespace Spbe.Security.Host.Soc;

/// <summary>
/// The OpenAPI document of the SOC API (<c>/openapi/soc.json</c>): event ingest and search, incidents and SLA figures,
/// generated from the endpoints themselves, with the bearer scheme they expect and the snake_case names they answer with.
/// </summary>
internal static class SocOpenApi
{
    /// <summary>The document's name (and file name).</summary>
    public const string DocumentName = "soc";

    /// <summary>Adds the document.</summary>
    public static IServiceCollection AddSpbeSocOpenApi(this IServiceCollection services) =>
        services.AddOpenApi(DocumentName, options =>
        {
            options.ShouldInclude = description => description.RelativePath?.StartsWith("api/soc/", StringComparison.Ordinal) == true;
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info = new OpenApiInfo
                {
                    Title = "Spbe.Security SOC API",
                    Version = "1",
                    Description = "Events and incidents of the city's CSIRT. Every call but ingest needs an access token of a signed-in "
                        + "ASN with the spbe.soc scope; what it may see and change follows the caller's roles, checked on each call "
                        + "(csirt-analyst and csirt-admin: every OPD; admin: read all; opd-admin: own OPD, changes only what is assigned). "
                        + "Errors are problem documents with a stable code (runbooks/soc-incidents.md, runbooks/soc-ingest.md).",
                };
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                document.Components.SecuritySchemes["bearer"] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http, Scheme = "bearer", BearerFormat = "JWT",
                    Description = "An access token from this provider's /connect/token with the spbe.soc scope (ingest: a source's token).",
                };
                document.Security ??= [];
                document.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("bearer", document)] = [] });
                return Task.CompletedTask;
            });

            // Note: the API answers with snake_case names (IncidentEndpoints.Json); the schemas say so too.
            options.AddSchemaTransformer((schema, _, _) =>
            {
                if (schema.Properties is { Count: > 0 } properties)
                {
                    schema.Properties = properties.ToDictionary(p => JsonNamingPolicy.SnakeCaseLower.ConvertName(p.Key), p => p.Value);
                    if (schema.Required is { Count: > 0 } required)
                    {
                        schema.Required = required.Select(JsonNamingPolicy.SnakeCaseLower.ConvertName).ToHashSet();
                    }
                }

                return Task.CompletedTask;
            });
        });

    /// <summary>Describes the request body of an operation whose handler reads it itself.</summary>
    internal static async Task RequestBodyAsync(
        Microsoft.OpenApi.OpenApiOperation operation, Microsoft.AspNetCore.OpenApi.OpenApiOperationTransformerContext context, string mediaType, Type? type,
        CancellationToken cancellationToken, params string[] moreMediaTypes)
    {
        var schema = type is null
            ? new Microsoft.OpenApi.OpenApiSchema
            {
                Type = Microsoft.OpenApi.JsonSchemaType.Object,
                Properties = new Dictionary<string, Microsoft.OpenApi.IOpenApiSchema>
                {
                    ["file"] = new Microsoft.OpenApi.OpenApiSchema { Type = Microsoft.OpenApi.JsonSchemaType.String, Format = "binary" },
                },
                Required = new HashSet<string> { "file" },
            }
            : await context.GetOrCreateSchemaAsync(type, null, cancellationToken);
        operation.RequestBody = new Microsoft.OpenApi.OpenApiRequestBody
        {
            Required = type is null,
            Content = new[] { mediaType }.Concat(moreMediaTypes).ToDictionary(m => m, _ => new Microsoft.OpenApi.OpenApiMediaType { Schema = schema }),
        };
    }
}
