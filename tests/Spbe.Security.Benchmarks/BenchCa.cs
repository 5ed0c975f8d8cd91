using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Spbe.Security.Data;
using Spbe.Security.Pki;
using Spbe.Security.Pki.Authority;
using Spbe.Security.Testing;

namespace Spbe.Security.Benchmarks;

/// <summary>A real CA for the drivers: the PKI on SQLite in a temporary folder, its hierarchy created.</summary>
internal static class BenchCa
{
    public static async Task<IHost> StartAsync(TempDirectory temp, params KeyValuePair<string, string?>[] settings)
    {
        var builder = TestHosts.CreateBuilder(temp.Combine("data"), settings: settings);
        builder.AddSpbePki();
        var host = builder.Build();
        await host.Services.GetRequiredService<DataDirectoryInitializer>().InitializeAsync();
        await host.Services.GetRequiredService<CertificateAuthority>().InitializeAsync("bench");
        return host;
    }
}
