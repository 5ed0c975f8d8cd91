using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Spbe.Security.Data;
using Spbe.Security.Policies;
using Spbe.Security.Soc.Ingest;
using Spbe.Security.Soc.Store;

namespace Spbe.Security.Soc;

/// <summary>Registers the SOC capability.</summary>
public static class SocHostBuilderExtensions
{
    /// <summary>Adds the SOC capability's services (sources, retention, event store, pipeline) and validates its options
    /// at start. Safe to call more than once. The CLI uses this alone; the Host adds <see cref="AddSpbeSocIngest"/>.</summary>
    public static IHostApplicationBuilder AddSpbeSoc(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddSpbeCore();
        var services = builder.Services;
        services.AddOptions<SocOptions>()
            .BindConfiguration(SocOptions.SectionName)
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SocOptions>, SocOptionsDataAnnotationsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SocOptions>, SocOptionsValidator>());
        services.TryAddSingleton<SourceCatalog>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPolicySource, SourceCatalog>(sp => sp.GetRequiredService<SourceCatalog>()));
        services.TryAddSingleton<SocRetentionPolicy>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPolicySource, SocRetentionPolicy>(sp => sp.GetRequiredService<SocRetentionPolicy>()));
        services.TryAddSingleton<Ruleset.SocRulesetPolicy>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPolicySource, Ruleset.SocRulesetPolicy>(sp => sp.GetRequiredService<Ruleset.SocRulesetPolicy>()));
        services.TryAddSingleton<SocMetrics>();
        services.TryAddSingleton<IEventStore>(sp => new SqliteEventStore(
            Path.Combine(sp.GetRequiredService<DataDirectory>().Root, "soc"),
            TimeZoneInfo.FindSystemTimeZoneById(sp.GetRequiredService<IOptions<SocOptions>>().Value.SourceTimeZone)));
        services.TryAddSingleton<IngestPipeline>();
        return builder;
    }

    /// <summary>Adds the listeners and the pipeline's writers as a hosted service (the Host only).</summary>
    public static IHostApplicationBuilder AddSpbeSocIngest(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddSpbeSoc();
        builder.Services.TryAddSingleton(sp => new SocIngestService(
            sp.GetRequiredService<IngestPipeline>, sp.GetRequiredService<SourceCatalog>(), sp.GetRequiredService<IOptions<SocOptions>>(),
            sp.GetRequiredService<Microsoft.Extensions.Logging.ILogger<SocIngestService>>(), sp.GetService<ISyslogTlsCredentials>()));
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, SocIngestService>(sp => sp.GetRequiredService<SocIngestService>()));
        return builder;
    }
}
