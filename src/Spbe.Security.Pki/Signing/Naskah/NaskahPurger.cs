using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Spbe.Security.Pki.Signing.Naskah;

/// <summary>Purges the content of finished naskah whose download window has passed, hourly while the host runs.</summary>
internal sealed partial class NaskahPurger(NaskahWorkflow workflow, TimeProvider time, ILogger<NaskahPurger> logger) : BackgroundService
{
    /// <summary>How often finished naskah are checked.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        try
        {
            do
            {
                try
                {
                    await workflow.PurgeAsync(stoppingToken);
                }
                catch (Exception ex) when (ex is Microsoft.EntityFrameworkCore.DbUpdateException or System.Data.Common.DbException or InvalidOperationException)
                {
                    LogFailed(logger, ex);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(EventId = 4523, Level = LogLevel.Error, Message = "Purging finished naskah failed; it is tried again within the hour")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
