using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Spbe.Security.Data;
using Spbe.Security.Identity.Organizations;
using Spbe.Security.Identity.Persistence;
using Spbe.Security.Persistence;
using Spbe.Security.Policies;

namespace Spbe.Security.Identity;

/// <summary>Registers the Identity capability.</summary>
public static class IdentityHostBuilderExtensions
{
    /// <summary>Adds the Identity capability's services (OPD catalog, Identity store). Safe to call more than once.</summary>
    public static IHostApplicationBuilder AddSpbeIdentity(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddSpbeCore();
        var services = builder.Services;
        services.Configure<Microsoft.AspNetCore.Identity.IdentityOptions>(o => IdentityStoreSchema.Configure(o.Stores));
        services.TryAddSingleton<OpdCatalog>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPolicySource, OpdCatalog>(sp => sp.GetRequiredService<OpdCatalog>()));
        services.AddSpbeStore(new SpbeStoreRegistration<IdentityStoreContext>(
            IdentityStoreContext.StoreName,
            options => new SqliteIdentityStoreContext(options),
            options => new NpgsqlIdentityStoreContext(options)));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IDataStore, IdentityStore>());
        return builder;
    }
}
