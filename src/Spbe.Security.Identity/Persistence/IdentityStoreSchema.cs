using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace Spbe.Security.Identity.Persistence;

/// <summary>The ASP.NET Core Identity store settings the Identity store's model depends on.</summary>
internal static class IdentityStoreSchema
{
    /// <summary>Schema version 3 (with the passkey table), and the key and personal-data settings of the model.</summary>
    public static void Configure(StoreOptions stores)
    {
        stores.SchemaVersion = IdentitySchemaVersions.Version3;
        stores.MaxLengthForKeys = 128;
    }

    /// <summary>A service provider holding only these settings, for design-time context creation.</summary>
    public static IServiceProvider DesignTimeServices() =>
        new ServiceCollection().Configure<IdentityOptions>(o => Configure(o.Stores)).BuildServiceProvider();
}
