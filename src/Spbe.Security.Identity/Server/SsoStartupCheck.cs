using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Spbe.Security.Identity.Server;

/// <summary>Warns on every start about SSO settings that are fine on one machine but not in production.</summary>
internal sealed partial class SsoStartupCheck(IOptions<SsoOptions> sso, ILogger<SsoStartupCheck> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (sso.Value.Issuer is null)
        {
            // Note: without a fixed issuer, iss and the discovery addresses follow the Host header of each request;
            // behind a reverse proxy or on a public address that header is the caller's to choose.
            LogIssuerNotConfigured(logger, IdentityErrors.IssuerNotConfigured);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 1140, Level = LogLevel.Warning, Message = "{Code}: Sso:Issuer is not set, so the issuer follows the host of each request; set it (e.g. https://sso.kota.go.id/) before the SSO is reachable from other machines")]
    private static partial void LogIssuerNotConfigured(ILogger logger, string code);
}
