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
            .WriteTo.Console(standardErrorFromLevel: LogEventLevel.Error)
            .WriteTo.File(new CompactJsonFormatter(),
                Path.Combine(sp.GetRequiredService<DataDirectory>().LogsDirectory, "spbe-.clef"),
                rollingInterval: RollingInterval.Day, retainedFileCountLimit: 31, fileSizeLimitBytes: 256L * 1024 * 1024,
                rollOnFileSizeLimit: true));

        builder.WebHost.UseKestrel((context, kestrel) =>
        {
            var options = kestrel.ApplicationServices.GetRequiredService<IOptions<HostingOptions>>().Value;
            kestrel.AddServerHeader = false;
            if (!IPAddress.TryParse(options.BindAddress, out var address))
            {
                return; // Note: the options validator reports it at start, with every other problem.
            }

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
        catch (SpbeException ex)
        {
            logger.StartupFailed(ex.Code, ex.Message);
        }
        catch (Policies.PolicyException ex)
        {
            foreach (var error in ex.Errors)
            {
                logger.StartupFailed(error.Code, error.ToString());
            }
        }
        catch (OptionsValidationException ex)
        {
            foreach (var failure in ex.Failures)
            {
                logger.StartupFailed(HostingErrors.InvalidConfiguration, failure);
            }
        }
        catch (IOException ex) when (ex.InnerException is System.Net.Sockets.SocketException or null && ex.Message.Contains("bind", StringComparison.OrdinalIgnoreCase))
        {
            logger.StartupFailed(HostingErrors.ListenFailed, ex.Message);
        }
        catch (Exception ex)
        {
            logger.Crashed(ex, HostingErrors.Crashed);
        }
        finally
        {
            await Serilog.Log.CloseAndFlushAsync();
        }

        return 1;
    }
}
