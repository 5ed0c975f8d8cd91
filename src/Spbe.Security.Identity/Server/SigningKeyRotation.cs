using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenIddict.Server;

namespace Spbe.Security.Identity.Server;

/// <summary>
/// Rotates the token-signing keys while the host runs (see <see cref="TokenKeyStore"/>): every hour it takes one
/// rotation step, and when the published or active keys change it rebuilds OpenIddict's options so that discovery,
/// JWKS and token signing use the new set at once.
/// </summary>
internal sealed partial class SigningKeyRotation(
    TokenKeyStore keys,
    IOptionsMonitorCache<OpenIddictServerOptions> serverOptions,
    IOptionsMonitorCache<OpenIddict.Validation.OpenIddictValidationOptions> validationOptions,
    TimeProvider time,
    ILogger<SigningKeyRotation> logger) : BackgroundService
{
    /// <summary>How often a rotation step runs.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    /// <summary>One rotation step; returns whether OpenIddict now uses a different key set. <paramref name="lastActive"/>
    /// tracks the active key and every published one (another instance on the same data may have added one).</summary>
    public bool RotateOnce(ref string? lastActive)
    {
        var changed = keys.Rotate();
        var active = keys.ActiveKeyId() + "|" + string.Join(",", keys.SigningCredentials().Select(c => c.Key.KeyId).Order(StringComparer.Ordinal));
        if (changed || active != lastActive)
        {
            // Note: the validation side (our own APIs) copies the server's keys; both are rebuilt.
            serverOptions.TryRemove(Options.DefaultName);
            validationOptions.TryRemove(Options.DefaultName);
            if (lastActive is not null && lastActive.Split('|')[0] != active.Split('|')[0])
            {
                LogActiveKeyChanged(logger, lastActive.Split('|')[0], active.Split('|')[0]);
            }

            lastActive = active;
            return true;
        }

        return false;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Note: the host initialises the data directory (first keys included) before background services start.
        string? lastActive = null;
        using var timer = new PeriodicTimer(Interval, time);
        try
        {
            do
            {
                try
                {
                    if (keys.ActiveKeyId() is not null)
                    {
                        RotateOnce(ref lastActive);
                    }
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or SpbeException)
                {
                    LogRotationFailed(logger, ex);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(EventId = 1130, Level = LogLevel.Information, Message = "Token signing key {OldKid} retired from signing; {NewKid} signs new tokens")]
    private static partial void LogActiveKeyChanged(ILogger logger, string oldKid, string newKid);

    [LoggerMessage(EventId = 1131, Level = LogLevel.Error, Message = "Token signing key rotation failed; the current keys stay in use")]
    private static partial void LogRotationFailed(ILogger logger, Exception exception);
}
