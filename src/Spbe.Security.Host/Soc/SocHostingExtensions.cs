using Microsoft.Extensions.DependencyInjection.Extensions;
using Spbe.Security.Identity.Events;
using Spbe.Security.Soc.Ingest;

namespace Spbe.Security.Host.Soc;

/// <summary>Connects the SOC to the rest of the Host: security events into the pipeline, TLS credentials for syslog.</summary>
internal static class SocHostingExtensions
{
    /// <summary>Routes <see cref="ISecurityEventSink"/> through the SOC pipeline (after the events file), and gives the
    /// syslog TLS listener the HTTPS certificate and the CA's judgement of client certificates. Call after Identity is added
    /// and before the SOC.</summary>
    public static IHostApplicationBuilder AddSpbeSocSecurityEvents(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.TryAddSingleton<ISyslogTlsCredentials, SyslogTlsCredentials>();
        services.TryAddSingleton<SocMetrics>(_ =>
        {
            // Note: the Prometheus registry is process-wide: with several hosts in one process (tests) the counters show the
            // highest total of any, which is enough to see them move.
            var metrics = new SocMetrics();
            SocPrometheusExporter.Register(metrics);
            return metrics;
        });
        var original = services.LastOrDefault(d => d.ServiceType == typeof(ISecurityEventSink));
        if (original is null || original.ImplementationType == typeof(SocSecurityEventSink))
        {
            return builder;
        }

        services.Remove(original);
        services.AddSingleton<ISecurityEventSink>(sp => new SocSecurityEventSink(
            original.ImplementationInstance as ISecurityEventSink
                ?? original.ImplementationFactory?.Invoke(sp) as ISecurityEventSink
                ?? (ISecurityEventSink)ActivatorUtilities.CreateInstance(sp, original.ImplementationType!),
            sp.GetRequiredService<IngestPipeline>,
            sp.GetRequiredService<SocMetrics>()));
        return builder;
    }

    /// <summary>Adds what the CSIRT console needs beside the SOC: the runbooks and the SLA monitor (a hosted service of the
    /// Host only). Call after the SOC is added.</summary>
    public static IHostApplicationBuilder AddSpbeSocConsole(this IHostApplicationBuilder builder)
    {
        builder.Services.TryAddSingleton(_ => RunbookCatalog.Shipped());
        builder.Services.TryAddScoped<IncidentDocuments>();
        builder.Services.TryAddSingleton<SlaMonitor>();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, SlaMonitor>(sp => sp.GetRequiredService<SlaMonitor>()));
        return builder;
    }
}
