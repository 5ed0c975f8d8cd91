using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Spbe.Security.Pki.Authority;

namespace Spbe.Security.Pki.Revocation;

/// <summary>
/// Keeps the CRLs current while the host runs: a new delta (with a new full CRL) before the last delta expires, a new
/// base before the last full CRL reaches half its validity, and the root's CRL while the root key is online. It also
/// renews the OCSP and TSA certificates before they run out.
/// </summary>
internal sealed partial class CrlScheduler(CaHierarchy hierarchy, CrlPublisher crls, CertificateAuthority authority, IOptions<PkiOptions> options, TimeProvider time,
    ILogger<CrlScheduler> logger)
    : BackgroundService
{
    /// <summary>How often the schedule is checked.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(5);

    /// <summary>One check; returns what it published.</summary>
    public async Task<IReadOnlyList<CrlPublication>> RunOnceAsync(CancellationToken cancellationToken = default)
    {
        var published = new List<CrlPublication>();
        if (!hierarchy.IsInitialized)
        {
            return published;
        }

        await authority.RenewServiceCertificatesAsync("system", cancellationToken);
        var now = time.GetUtcNow();
        var (baseAt, rootAt) = await crls.LastPublishedAsync(cancellationToken);
        var delta = crls.DeltaFile(CaHierarchy.Issuing);
        var deltaAt = File.Exists(delta) ? new DateTimeOffset(File.GetLastWriteTimeUtc(delta), TimeSpan.Zero) : (DateTimeOffset?)null;
        var newBase = baseAt is null || now - baseAt >= options.Value.CrlValidity / 2;
        if (newBase || deltaAt is null || now - deltaAt >= options.Value.DeltaCrlValidity / 2)
        {
            published.Add(await crls.PublishIssuingAsync(newBase, "system", cancellationToken));
        }

        if (hierarchy.KeyStore.Exists(CaHierarchy.Root) && (rootAt is null || now - rootAt >= CrlPublisher.RootCrlValidity / 2))
        {
            published.Add(await crls.PublishRootAsync("system", cancellationToken));
        }

        return published;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        try
        {
            do
            {
                try
                {
                    await RunOnceAsync(stoppingToken);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or SpbeException or Microsoft.EntityFrameworkCore.DbUpdateException or System.Data.Common.DbException)
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

    [LoggerMessage(EventId = 4130, Level = LogLevel.Error, Message = "Scheduled CRL publication failed; the previous CRLs stay published")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
