using System.Net;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Prometheus;
using Serilog;
using Serilog.Events;
using Serilog.Formatting.Compact;
using Spbe.Security.Data;

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

        services.AddSerilog((sp, logger) => logger
            .MinimumLevel.Information()
            .MinimumLevel.Override("Microsoft.AspNetCore", LogEventLevel.Warning)
            .MinimumLevel.Override("Microsoft.EntityFrameworkCore", LogEventLevel.Warning)
            .MinimumLevel.Override("Microsoft.Hosting.Lifetime", LogEventLevel.Information)
            .ReadFrom.Configuration(builder.Configuration)
            .Enrich.FromLogContext()
            // Note: a failed start is reported once, with its code, by RunSpbeAsync; the generic host's own
            // "Hosting failed to start" entry would repeat it as a stack trace.
            .Filter.ByExcluding(e => e.Level == LogEventLevel.Error && e.MessageTemplate.Text == "Hosting failed to start")
            .WriteTo.Console(standardErrorFromLevel: LogEventLevel.Error)
            .WriteTo.File(new CompactJsonFormatter(),
                Path.Combine(sp.GetRequiredService<DataDirectory>().LogsDirectory, "spbe-.clef"),
                rollingInterval: RollingInterval.Day, retainedFileCountLimit: 31, fileSizeLimitBytes: 256L * 1024 * 1024,
                rollOnFileSizeLimit: true));

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
                kestrel.Listen(address, options.HttpsPort, listen =>
                    listen.UseHttps(https => https.ServerCertificateSelector = (_, _) => certificates.Current));
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
        app.UseSerilogRequestLogging();
        app.UseHttpMetrics();
        return app;
    }

    /// <summary>Runs the host; a start-up failure becomes one coded log line and exit code 1 instead of a stack trace.</summary>
    public static async Task<int> RunSpbeAsync(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Spbe.Security.Host");
        app.Lifetime.ApplicationStarted.Register(() => logger.Started(BuildInfo.Version,
            string.Join(", ", app.Urls), app.Services.GetRequiredService<DataDirectory>().Root));
        try
        {
            await app.RunAsync();
            return 0;
        }
        catch (Exception ex)
        {
            ReportFailure(logger, ex);
        }
        finally
        {
            await Serilog.Log.CloseAndFlushAsync();
        }

        return 1;
    }

    private static void ReportFailure(Microsoft.Extensions.Logging.ILogger logger, Exception exception)
    {
        switch (exception)
        {
            case SpbeException ex:
                logger.StartupFailed(ex.Code, ex.Message);
                break;
            case Policies.PolicyException ex:
                foreach (var error in ex.Errors)
                {
                    logger.StartupFailed(error.Code, $"{error.Location}: {error.Reason}");
                }

                break;
            case OptionsValidationException ex:
                foreach (var failure in ex.Failures)
                {
                    logger.StartupFailed(HostingErrors.InvalidConfiguration, failure);
                }

                break;
            // Note: start-up validation of several option types aggregates their exceptions.
            case AggregateException ex when ex.InnerExceptions.All(e => e is OptionsValidationException):
                foreach (var inner in ex.InnerExceptions)
                {
                    ReportFailure(logger, inner);
                }

                break;
            case IOException ex when ex.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException or System.Net.Sockets.SocketException:
                logger.StartupFailed(HostingErrors.ListenFailed, ex.Message);
                break;
            default:
                logger.Crashed(exception, HostingErrors.Crashed);
                break;
        }
    }
}
