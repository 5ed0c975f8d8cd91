using System.Net;
using System.Net.Security;
using System.Security.Authentication;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Prometheus;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.Extensions.FileProviders;
using Serilog;
using Spbe.Security.Keys;
using Spbe.Security.Data;
using Spbe.Security.Host.Sso;

namespace Spbe.Security.Host.Hosting;

/// <summary>Wires what makes the process a service: listeners, logs, metrics, health, start-up initialisation.</summary>
internal static class HostingHostBuilderExtensions
{
    public static WebApplicationBuilder AddSpbeHosting(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddSpbeCore();
        var services = builder.Services;
        services.AddOptions<HostingOptions>().BindConfiguration(HostingOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<HostingOptions>, HostingOptionsDataAnnotationsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<HostingOptions>, HostingOptionsValidator>());
        services.TryAddSingleton<StartupState>();
        services.TryAddSingleton<HttpsCertificateProvider>();
        services.TryAddSingleton<OperationalAccess>();
        services.AddHostedService<StartupInitializationService>();
        services.AddHealthChecks().AddCheck<StoresHealthCheck>("stores", tags: ["ready"]);
        services.AddProblemDetails();
        services.AddRazorPages();
        services.TryAddSingleton<Sso.UiText>();
        services.AddSpbeSignInRateLimit();
        services.AddRequestLocalization(o =>
        {
            // Note: only the UI language follows the browser; formatting stays invariant.
            o.SetDefaultCulture(Sso.UiText.Cultures[0]).AddSupportedUICultures(Sso.UiText.Cultures);
            o.SupportedCultures = [System.Globalization.CultureInfo.InvariantCulture];
            o.DefaultRequestCulture = new Microsoft.AspNetCore.Localization.RequestCulture(System.Globalization.CultureInfo.InvariantCulture, new System.Globalization.CultureInfo(Sso.UiText.Cultures[0]));
            o.FallBackToParentUICultures = true;
        });
        services.AddDataProtection().SetApplicationName("Spbe.Security");
        services.AddOptions<KeyManagementOptions>().Configure<DataDirectory, MasterKeyProvider, ILoggerFactory>((o, data, keys, logging) =>
        {
            // Note: cookies and antiforgery tokens survive restarts, and the keys behind them are sealed at rest.
            o.XmlRepository = new FileSystemXmlRepository(new DirectoryInfo(Path.Combine(data.KeysDirectory, "dataprotection")), logging);
            o.XmlEncryptor = new MasterKeyXmlEncryptor(keys);
        });

        services.AddSerilog((sp, logger) => SerilogConfiguration.Configure(sp, logger, builder.Configuration), preserveStaticLogger: true);

        builder.WebHost.UseKestrel((context, kestrel) =>
        {
            kestrel.AddServerHeader = false;
            HostingOptions options;
            try
            {
                options = kestrel.ApplicationServices.GetRequiredService<IOptions<HostingOptions>>().Value;
            }
            catch (OptionsValidationException)
            {
                // Note: Kestrel is configured while the app is built, before ValidateOnStart runs; leaving the listeners
                // out here lets the start-up validation report this problem together with every other one.
                return;
            }

            var address = IPAddress.Parse(options.BindAddress);

            kestrel.Listen(address, options.HttpPort);
            if (options.EnableHttps)
            {
                var certificates = kestrel.ApplicationServices.GetRequiredService<HttpsCertificateProvider>();
                kestrel.Listen(address, options.HttpsPort, listen => listen.UseHttps(new TlsHandshakeCallbackOptions
                {
                    OnConnection = _ => ValueTask.FromResult(new SslServerAuthenticationOptions
                    {
                        ServerCertificateContext = certificates.Context,
                        EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
                    }),
                }));
            }
        });
        return builder;
    }

    public static WebApplication UseSpbeHosting(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseMiddleware<SecurityHeadersMiddleware>();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseSerilogRequestLogging(o => o.GetLevel = RequestLogLevel);
        app.UseHttpMetrics();
        app.UseStaticFiles(new StaticFileOptions
        {
            // Note: from the build output, so pages are styled whatever the current directory is.
            FileProvider = new PhysicalFileProvider(Path.Combine(AppContext.BaseDirectory, "wwwroot")),
        });
        app.UseRequestLocalization();
        app.UseRateLimiter();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();
        return app;
    }

    // Note: one access-log line per request at Information would cost a synchronous console write on every token
    // request; routine successes go to Debug, failures and slow requests stay visible.
    private static Serilog.Events.LogEventLevel RequestLogLevel(HttpContext context, double elapsedMilliseconds, Exception? exception) =>
        exception is not null || context.Response.StatusCode >= 500 ? Serilog.Events.LogEventLevel.Error
        : context.Response.StatusCode >= 400 || elapsedMilliseconds > 1000 ? Serilog.Events.LogEventLevel.Warning
        : Serilog.Events.LogEventLevel.Debug;

    /// <summary>Runs the host; a start-up failure becomes coded log lines and exit code 1 instead of a stack trace.</summary>
    public static async Task<int> RunSpbeAsync(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Spbe.Security.Host");
        app.Lifetime.ApplicationStarted.Register(() => logger.Started(BuildInfo.Version,
            string.Join(", ", app.Urls), app.Services.GetRequiredService<DataDirectory>().Root));
        try
        {
            // Note: not RunAsync, which disposes the host (and with it the log file) before a failure could be logged.
            await app.StartAsync();
            await app.WaitForShutdownAsync();
            return 0;
        }
        catch (Exception ex)
        {
            ReportFailure(logger, ex);
            return 1;
        }
        finally
        {
            await app.DisposeAsync();
        }
    }

    private static void ReportFailure(Microsoft.Extensions.Logging.ILogger logger, Exception exception)
    {
        if (OperatorFailure.Describe(exception, HostingErrors.InvalidConfiguration) is { } lines)
        {
            foreach (var (code, reason) in lines)
            {
                logger.StartupFailed(code, reason);
            }
        }
        else if (exception is IOException { InnerException: Microsoft.AspNetCore.Connections.AddressInUseException or System.Net.Sockets.SocketException })
        {
            logger.StartupFailed(HostingErrors.ListenFailed, exception.Message);
        }
        else
        {
            logger.Crashed(exception, HostingErrors.Crashed);
        }
    }
}
