using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Spbe.Security.Data;
using Spbe.Security.Identity;
using Spbe.Security.Pki;
using Spbe.Security.Soc;

namespace Spbe.Security.Cli;

/// <summary>
/// Builds the same composition of capabilities as the host (same configuration sources, same options validation)
/// for a command that works directly on a data directory.
/// </summary>
internal static class CliHost
{
    public static IHost Build(DirectoryInfo dataDirectory, CliOutput output, bool reportInitialization = true)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = [],
            ContentRootPath = Directory.GetCurrentDirectory(),
        });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [$"{SpbeOptions.SectionName}:{nameof(SpbeOptions.DataDirectory)}"] = dataDirectory.FullName,
        });

        // Note: stdout carries results (often JSON); diagnostics go to stderr, warnings and above only.
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(new CliLoggerProvider(output.Error));
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        if (!reportInitialization)
        {
            // Note: `spbe init` and the host report the development-key warning; other commands stay quiet about it.
            builder.Logging.AddFilter(typeof(DataDirectoryInitializer).FullName, LogLevel.Error);
        }

        builder.AddSpbeIdentity();
        builder.AddSpbePki();
        builder.AddSpbeSoc();
        var host = builder.Build();

        // Note: the host validates options on start; commands do not start a host, so validate the same way here.
        host.Services.GetRequiredService<Microsoft.Extensions.Options.IStartupValidator>().Validate();
        return host;
    }

    /// <summary>Builds the host and brings the data directory up to date (as the host does on start) for a command
    /// that reads or changes the stores.</summary>
    public static async Task<IHost> OpenAsync(DirectoryInfo dataDirectory, CliOutput output, CancellationToken cancellationToken)
    {
        var host = Build(dataDirectory, output, reportInitialization: false);
        try
        {
            await host.Services.GetRequiredService<DataDirectoryInitializer>().InitializeAsync(cancellationToken);
            return host;
        }
        catch
        {
            host.Dispose();
            throw;
        }
    }
}
