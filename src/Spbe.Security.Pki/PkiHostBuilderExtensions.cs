using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Spbe.Security.Data;
using Spbe.Security.Keys;
using Spbe.Security.Persistence;
using Spbe.Security.Pki.Authority;
using Spbe.Security.Pki.Keys;
using Spbe.Security.Pki.Ledger;
using Spbe.Security.Pki.Persistence;
using Spbe.Security.Pki.Profiles;
using Spbe.Security.Pki.Revocation;
using Spbe.Security.Pki.Signing;
using Spbe.Security.Pki.Signing.Naskah;
using Spbe.Security.Pki.Timestamping;
using Spbe.Security.Policies;

namespace Spbe.Security.Pki;

/// <summary>Registers the PKI capability.</summary>
public static class PkiHostBuilderExtensions
{
    /// <summary>Adds the PKI capability's services and validates its options at start. Safe to call more than once.</summary>
    public static IHostApplicationBuilder AddSpbePki(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddSpbeCore();
        var services = builder.Services;
        if (services.Any(d => d.ServiceType == typeof(CertificateAuthority)))
        {
            return builder;
        }

        services.AddOptions<PkiOptions>()
            .BindConfiguration(PkiOptions.SectionName)
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PkiOptions>, PkiOptionsDataAnnotationsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PkiOptions>, PkiOptionsValidator>());
        services.AddSpbeStore(new SpbeStoreRegistration<PkiStoreContext>(
            PkiStoreContext.StoreName,
            options => new SqlitePkiStoreContext(options),
            options => new NpgsqlPkiStoreContext(options),
            // Note: naming the compiled model saves a reflection scan of the assembly for every context created.
            options => options.UseModel(options.Options.Extensions.Any(e => e.GetType().Name.StartsWith("Npgsql", StringComparison.Ordinal))
                ? Persistence.CompiledModels.Postgres.NpgsqlPkiStoreContextModel.Instance
                : Persistence.CompiledModels.Sqlite.SqlitePkiStoreContextModel.Instance)));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IDataStore, PkiStore>());
        services.TryAddSingleton<ProfileCatalog>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPolicySource, ProfileCatalog>(sp => sp.GetRequiredService<ProfileCatalog>()));
        services.TryAddSingleton<FileKeyStore>();
        services.TryAddSingleton<Pkcs11KeyStore>();
        services.TryAddSingleton<IKeyStore>(sp => sp.GetRequiredService<IOptions<PkiOptions>>().Value.KeyStore == KeyStoreKind.Pkcs11
            ? sp.GetRequiredService<Pkcs11KeyStore>()
            : sp.GetRequiredService<FileKeyStore>());
        services.TryAddSingleton<CaHierarchy>();
        services.TryAddSingleton<PkiWriteGate>();
        services.TryAddSingleton<CrlPublisher>();
        services.TryAddSingleton<IssuanceRecorder>();
        services.TryAddSingleton<StatusSignal>();
        services.TryAddSingleton(sp => new CertificateAuthority(sp.GetRequiredService<CaHierarchy>(), sp.GetRequiredService<ProfileCatalog>(),
            sp.GetRequiredService<IDbContextFactory<PkiStoreContext>>(), sp.GetRequiredService<IOptions<PkiOptions>>(), sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<PkiWriteGate>(), sp.GetRequiredService<CrlPublisher>(), sp.GetRequiredService<IssuanceRecorder>(),
            sp.GetRequiredService<StatusSignal>(), sp.GetRequiredService<ILogger<CertificateAuthority>>()));
        services.TryAddSingleton(sp => new OcspResponder(sp.GetRequiredService<CaHierarchy>(), sp.GetRequiredService<CrlPublisher>(),
            sp.GetRequiredService<IDbContextFactory<PkiStoreContext>>(), sp.GetRequiredService<IOptions<PkiOptions>>(), sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<StatusSignal>(), sp.GetRequiredService<ILogger<OcspResponder>>()));
        services.TryAddSingleton(sp => new TimestampAuthority(sp.GetRequiredService<CaHierarchy>(), sp.GetRequiredService<IOptions<PkiOptions>>(),
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<TimestampAuthority>>()));
        services.TryAddSingleton(sp => new RegistrationAuthority(sp.GetRequiredService<CertificateAuthority>(), sp.GetRequiredService<ProfileCatalog>(),
            sp.GetRequiredService<IDbContextFactory<PkiStoreContext>>(), sp.GetRequiredService<PkiWriteGate>(), sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<RegistrationAuthority>>()));
        services.TryAddSingleton<LedgerVerifier>();
        services.TryAddSingleton<CrlScheduler>();
        services.TryAddSingleton<PadesSigner>();
        services.TryAddSingleton(sp => new SigningRecords(sp.GetRequiredService<IDbContextFactory<PkiStoreContext>>(), sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton(sp => new SigningService(sp.GetRequiredService<RegistrationAuthority>(), sp.GetRequiredService<SigningRecords>(), sp.GetRequiredService<CaHierarchy>(),
            sp.GetRequiredService<PadesSigner>(), sp.GetRequiredService<TimestampAuthority>(), sp.GetRequiredService<IOptions<PkiOptions>>(), sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<SigningService>>()));
        services.TryAddSingleton(sp => new DocumentVerifier(sp.GetRequiredService<CaHierarchy>(), sp.GetRequiredService<CertificateAuthority>(),
            sp.GetRequiredService<IOptions<PkiOptions>>(), sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton(sp => new NaskahWorkflow(sp.GetRequiredService<IDbContextFactory<PkiStoreContext>>(), sp.GetRequiredService<SigningService>(),
            sp.GetRequiredService<RegistrationAuthority>(), sp.GetRequiredService<MasterKeyProvider>(), sp.GetRequiredService<IOptions<PkiOptions>>(),
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<NaskahWorkflow>>()));
        return builder;
    }

    /// <summary>Adds the background work a long-running host does for the PKI (scheduled CRLs). The CLI does not call it.</summary>
    public static IHostApplicationBuilder AddSpbePkiBackgroundServices(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddSpbePki();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<CrlScheduler>());
        builder.Services.AddHostedService(sp => new NaskahPurger(sp.GetRequiredService<NaskahWorkflow>(), sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<NaskahPurger>>()));
        return builder;
    }
}
