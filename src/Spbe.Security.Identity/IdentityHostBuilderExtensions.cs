using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Spbe.Security.Identity.Accounts;
using Spbe.Security.Identity.Clients;
using Spbe.Security.Identity.Events;
using Spbe.Security.Data;
using Spbe.Security.Identity.Organizations;
using Spbe.Security.Identity.Persistence;
using Spbe.Security.Identity.Server;
using Spbe.Security.Persistence;
using Spbe.Security.Policies;

namespace Spbe.Security.Identity;

/// <summary>Registers the Identity capability.</summary>
public static class IdentityHostBuilderExtensions
{
    /// <summary>Adds the Identity capability: OPD catalog, Identity store, ASN accounts and the OpenID Connect provider.
    /// Safe to call more than once.</summary>
    public static IHostApplicationBuilder AddSpbeIdentity(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddSpbeCore();
        var services = builder.Services;
        services.Configure<IdentityOptions>(o => IdentityStoreSchema.Configure(o.Stores));
        services.TryAddSingleton<OpdCatalog>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPolicySource, OpdCatalog>(sp => sp.GetRequiredService<OpdCatalog>()));
        services.TryAddSingleton<ClientPolicyCatalog>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPolicySource, ClientPolicyCatalog>(sp => sp.GetRequiredService<ClientPolicyCatalog>()));
        services.AddSpbeStore(new SpbeStoreRegistration<IdentityStoreContext>(
            IdentityStoreContext.StoreName,
            options => new SqliteIdentityStoreContext(options),
            options => new NpgsqlIdentityStoreContext(options),
            // Note: naming the compiled model saves a reflection scan of the assembly for every context created.
            options => options.UseModel(options.Options.Extensions.Any(e => e.GetType().Name.StartsWith("Npgsql", StringComparison.Ordinal))
                ? Persistence.CompiledModels.Postgres.NpgsqlIdentityStoreContextModel.Instance
                : Persistence.CompiledModels.Sqlite.SqliteIdentityStoreContextModel.Instance)));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IDataStore, IdentityStore>());
        if (services.Any(d => d.ServiceType == typeof(SsoPrincipalFactory)))
        {
            return builder;
        }

        services.AddOptions<SsoOptions>().BindConfiguration(SsoOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SsoOptions>, SsoOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SsoOptions>, SsoIssuerValidator>());
        services.TryAddSingleton<TokenKeyStore>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IDataStore, TokenKeyStore>(sp => sp.GetRequiredService<TokenKeyStore>()));
        services.AddIdentityCore<AsnUser>(AccountPolicy.Configure)
            .AddRoles<IdentityRole<Guid>>()
            .AddEntityFrameworkStores<IdentityStoreContext>()
            .AddUserManager<SpbeUserManager>()
            .AddSignInManager<SpbeSignInManager>()
            .AddDefaultTokenProviders()
            .AddTokenProvider<Mfa.TotpTwoFactorProvider>(Mfa.TotpTwoFactorProvider.Name);
        services.AddScoped<IUserConfirmation<AsnUser>, AccountConfirmation>();
        services.AddAuthentication(IdentityConstants.ApplicationScheme).AddIdentityCookies();
        services.ConfigureApplicationCookie(cookie =>
        {
            cookie.LoginPath = SsoDefaults.LoginPath;
            // Note: __Host- keeps sibling kota.go.id subdomains from planting or overwriting the session cookie.
            cookie.Cookie.Name = "__Host-spbe.sso";
            cookie.Cookie.Path = "/";
            cookie.Cookie.HttpOnly = true;
            cookie.Cookie.SecurePolicy = Microsoft.AspNetCore.Http.CookieSecurePolicy.Always;
            cookie.Cookie.SameSite = Microsoft.AspNetCore.Http.SameSiteMode.Lax;
            cookie.ExpireTimeSpan = TimeSpan.FromHours(8);
            cookie.SlidingExpiration = false;
            // Note: a signed-in account without the right gets 403 on the page it asked for, not a redirect to a page
            // that does not exist.
            cookie.Events.OnRedirectToAccessDenied = context =>
            {
                context.Response.StatusCode = Microsoft.AspNetCore.Http.StatusCodes.Status403Forbidden;
                return Task.CompletedTask;
            };
        });
        services.Configure<SecurityStampValidatorOptions>(o => o.OnRefreshingPrincipal = SpbeSignInManager.KeepAuthenticationFacts);
        services.AddSpbeOpenIddict();
        services.TryAddSingleton<ISecurityEventSink, JsonLinesSecurityEventSink>();
        services.TryAddScoped<SsoPrincipalFactory>();
        services.TryAddScoped<AccountService>();
        services.TryAddScoped<Mfa.MfaService>();
        services.AddHttpClient(BackchannelLogout.HttpClientName, c => c.Timeout = TimeSpan.FromSeconds(10));
        services.TryAddSingleton<BackchannelLogout>();
        services.TryAddSingleton<SigningKeyRotation>();
        services.AddHostedService(sp => sp.GetRequiredService<SigningKeyRotation>());
        services.AddHostedService(sp => sp.GetRequiredService<BackchannelLogout>());
        services.AddHostedService<SsoStartupCheck>();
        services.TryAddScoped<ClientService>();
        return builder;
    }
}
