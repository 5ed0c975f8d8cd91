using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Spbe.Security.Data;
using Spbe.Security.Keys;
using Spbe.Security.Persistence;
using Spbe.Security.Policies;
using Spbe.Security.Tls;

namespace Spbe.Security;

/// <summary>Registers the shared kernel: data directory, master key, HTTPS certificate, policies and database settings.</summary>
public static class CoreHostBuilderExtensions
{
    /// <summary>Adds the shared kernel's services. Safe to call more than once.</summary>
    public static IHostApplicationBuilder AddSpbeCore(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddOptions<SpbeOptions>()
            .BindConfiguration(SpbeOptions.SectionName)
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SpbeOptions>, SpbeOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new DataDirectory(sp.GetRequiredService<IOptions<SpbeOptions>>().Value.DataDirectory));
        services.TryAddSingleton(sp => PolicyDirectory.Resolve(sp.GetRequiredService<IOptions<SpbeOptions>>().Value));
        services.TryAddSingleton<MasterKeyProvider>();
        services.TryAddSingleton<HttpsCertificateStore>();
        services.TryAddSingleton<PolicyValidator>();
        services.TryAddSingleton<DatabaseSettings>();
        services.TryAddSingleton<DataDirectoryInitializer>();
        return builder;
    }
}
