using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Spbe.Security.Data;
using Spbe.Security.Persistence;
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
        if (services.Any(d => d.ServiceType == typeof(Added)))
        {
            // Note: binding the options twice would append list settings (Soc:Rulesets) twice.
            return builder;
        }

        services.AddSingleton<Added>();
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
        services.TryAddSingleton<Alerts.AlertDetector>(sp => CreateDetector(sp)!);
        services.AddSpbeStore(new SpbeStoreRegistration<Incidents.Persistence.IncidentStoreContext>(
            Incidents.Persistence.IncidentStoreContext.StoreName,
            options => new Incidents.Persistence.SqliteIncidentStoreContext(options),
            options => new Incidents.Persistence.NpgsqlIncidentStoreContext(options)));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IDataStore, Incidents.Persistence.IncidentStore>());
        services.TryAddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<SocOptions>>().Value;
            return new Incidents.IncidentService(sp.GetRequiredService<IDbContextFactory<Incidents.Persistence.IncidentStoreContext>>(), sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<Microsoft.Extensions.Logging.ILogger<Incidents.IncidentService>>(), options.IncidentMinLevel, TimeSpan.FromMinutes(options.IncidentWindowMinutes));
        });
        services.TryAddSingleton<Incidents.IncidentIntake>();
        services.TryAddSingleton<Incidents.SlaPolicy>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPolicySource, Incidents.SlaPolicy>(sp => sp.GetRequiredService<Incidents.SlaPolicy>()));
        services.TryAddSingleton<Incidents.IncidentSla>();
        services.TryAddSingleton<Incidents.IncidentAttachmentStore>();
        services.TryAddSingleton<IngestPipeline>();
        return builder;
    }

    /// <summary>Marks the services as added.</summary>
    private sealed class Added;

    /// <summary>The live detection: the directories of <see cref="SocOptions.Rulesets"/>, then policies/soc. Problems in
    /// the configured directories (Wazuh's stock set has some) are logged and the rest is used; policies/soc itself is
    /// checked at start like every policy.</summary>
    private static Alerts.AlertDetector? CreateDetector(IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<SocOptions>>().Value;
        if (!options.Detect)
        {
            return null;
        }

        var logger = services.GetRequiredService<Microsoft.Extensions.Logging.ILogger<Alerts.AlertDetector>>();
        var zone = TimeZoneInfo.FindSystemTimeZoneById(options.SourceTimeZone);
        var own = Path.Combine(services.GetRequiredService<PolicyDirectory>().Root, "soc");
        string[] directories = [.. options.Rulesets, .. Directory.Exists(own) ? [own] : Array.Empty<string>()];
        var ruleset = Ruleset.SocRuleset.Load(directories, zone);
        foreach (var problem in ruleset.Problems)
        {
            Log.RulesetProblem(logger, problem.File, problem.Line, problem.Message);
        }

        Log.RulesetLoaded(logger, ruleset.Rules.Count, ruleset.Decoders.Count, string.Join(", ", directories));
        return new Alerts.AlertDetector(ruleset, zone);
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
        builder.Services.TryAddSingleton(sp => new Incidents.Notifications.IncidentNotifier(
            sp.GetRequiredService<IOptions<SocOptions>>(), new Lazy<Incidents.IncidentService>(sp.GetRequiredService<Incidents.IncidentService>),
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<Microsoft.Extensions.Logging.ILogger<Incidents.Notifications.IncidentNotifier>>()));
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, Incidents.Notifications.IncidentNotifier>(
            sp => sp.GetRequiredService<Incidents.Notifications.IncidentNotifier>()));
        return builder;
    }
}
