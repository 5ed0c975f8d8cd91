using Spbe.Security.Data;

namespace Spbe.Security.Host.Hosting;

/// <summary>
/// Prepares the data directory before the listeners open: policies validated, directory, master key, HTTPS
/// certificate and stores created or checked. A failure here stops the host with a coded, one-line reason.
/// </summary>
/// <remarks>Registered before the web server's own hosted service, so it completes before Kestrel binds.</remarks>
internal sealed class StartupInitializationService(
    DataDirectoryInitializer initializer,
    HttpsCertificateProvider httpsCertificates,
    StartupState state,
    Microsoft.Extensions.Options.IOptions<HostingOptions> options) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var report = await initializer.InitializeAsync(cancellationToken);
        if (options.Value.EnableHttps)
        {
            httpsCertificates.Load();
        }

        state.Completed(report);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
