using Microsoft.Extensions.Options;
using Serilog;
using Serilog.Events;
using Serilog.Formatting.Compact;
using Spbe.Security.Data;

namespace Spbe.Security.Host.Hosting;

/// <summary>Structured logs: the console for people, and compact JSON files under data/logs for machines.</summary>
internal static class SerilogConfiguration
{
    public static void Configure(IServiceProvider services, LoggerConfiguration logger, IConfiguration configuration)
    {
        logger
            .MinimumLevel.Information()
            .MinimumLevel.Override("Microsoft.AspNetCore", LogEventLevel.Warning)
            .MinimumLevel.Override("Microsoft.EntityFrameworkCore", LogEventLevel.Warning)
            // Note: OpenIddict narrates every request at Information (several lines per token); the security events
            // file records what matters, so its own log starts at Warning (configurable like any other override).
            .MinimumLevel.Override("OpenIddict", LogEventLevel.Warning)
            .MinimumLevel.Override("Microsoft.Hosting.Lifetime", LogEventLevel.Information)
            .ReadFrom.Configuration(configuration)
            .Enrich.FromLogContext()
            // Note: a failed start is reported once, with its code, by RunSpbeAsync; the generic host's own
            // "Hosting failed to start" entry would repeat it as a stack trace.
            .Filter.ByExcluding(e => e.Level == LogEventLevel.Error && e.MessageTemplate.Text == "Hosting failed to start")
            .WriteTo.Console(standardErrorFromLevel: LogEventLevel.Error);

        DataDirectory dataDirectory;
        try
        {
            dataDirectory = services.GetRequiredService<DataDirectory>();
        }
        catch (OptionsValidationException)
        {
            // Note: the logger is built while the app is built; an invalid Spbe section is reported by the start-up
            // validation, on the console, with every other problem.
            return;
        }

        logger.WriteTo.File(new CompactJsonFormatter(),
            Path.Combine(dataDirectory.LogsDirectory, "spbe-.clef"),
            rollingInterval: RollingInterval.Day, retainedFileCountLimit: 31, fileSizeLimitBytes: 256L * 1024 * 1024,
            rollOnFileSizeLimit: true, buffered: true, flushToDiskInterval: TimeSpan.FromSeconds(1));
    }
}
