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
    public static IHost Build(DirectoryInfo dataDirectory, CliOutput output)
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

        builder.AddSpbeIdentity();
        builder.AddSpbePki();
        builder.AddSpbeSoc();
        var host = builder.Build();

        // Note: the host validates options on start; commands do not start a host, so validate the same way here.
        host.Services.GetRequiredService<Microsoft.Extensions.Options.IStartupValidator>().Validate();
        return host;
    }
}
