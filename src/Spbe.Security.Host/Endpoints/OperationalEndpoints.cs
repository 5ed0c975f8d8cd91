using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Prometheus;
using Spbe.Security.Host.Hosting;

namespace Spbe.Security.Host.Endpoints;

/// <summary>Liveness, readiness and metrics for orchestrators and Prometheus.</summary>
internal static class OperationalEndpoints
{
    private static readonly Gauge BuildInfoGauge = Metrics.CreateGauge(
        "spbe_build_info", "Spbe.Security build; the value is always 1.", new GaugeConfiguration { LabelNames = ["version"] });

    public static IEndpointRouteBuilder MapOperationalEndpoints(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        BuildInfoGauge.WithLabels(BuildInfo.Version).Set(1);

        // Liveness: the process answers; no dependency is checked, so a slow database never gets the process killed.
        endpoints.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteAsync });

        // Readiness: start-up finished and every store answers.
        endpoints.MapHealthChecks("/readyz", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready"), ResponseWriter = WriteAsync });

        endpoints.MapMetrics("/metrics").AddEndpointFilter(async (context, next) =>
            context.HttpContext.RequestServices.GetRequiredService<OperationalAccess>().IsAllowed(context.HttpContext)
                ? await next(context)
                : Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Metrics are served to operational networks only."));
        return endpoints;
    }

    private static Task WriteAsync(HttpContext context, HealthReport report)
    {
        // Note: check descriptions can name paths and hosts; only operational networks see them.
        var detailed = context.RequestServices.GetRequiredService<OperationalAccess>().IsAllowed(context);
        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        return JsonSerializer.SerializeAsync(context.Response.Body, new
        {
            status = report.Status.ToString(),
            checks = report.Entries.Select(e => new
            {
                name = e.Key,
                status = e.Value.Status.ToString(),
                description = detailed ? e.Value.Description : null,
            }),
        }, cancellationToken: context.RequestAborted);
    }
}
