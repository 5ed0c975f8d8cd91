using Microsoft.Extensions.Diagnostics.HealthChecks;
using Spbe.Security.Data;

namespace Spbe.Security.Host.Hosting;

/// <summary>Ready when start-up has finished and every store answers with its schema up to date.</summary>
internal sealed class StoresHealthCheck(StartupState state, IEnumerable<IDataStore> stores) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (state.Report is null)
        {
            return HealthCheckResult.Unhealthy("start-up initialisation has not finished");
        }

        var problems = new List<string>();
        foreach (var store in stores)
        {
            if (await store.CheckAsync(cancellationToken) is { } problem)
            {
                problems.Add(problem);
            }
        }

        return problems.Count == 0
            ? HealthCheckResult.Healthy($"{stores.Count()} store(s) ready")
            : HealthCheckResult.Unhealthy(string.Join("; ", problems));
    }
}
