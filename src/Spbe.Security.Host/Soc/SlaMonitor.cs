using System.Globalization;
using Spbe.Security.Host.Hosting;
using Spbe.Security.Identity.Events;
using Spbe.Security.Soc.Incidents;
using Spbe.Security.Soc.Incidents.Notifications;

namespace Spbe.Security.Host.Soc;

/// <summary>
/// Checks the incidents against policies/soc/sla.yaml every <see cref="SlaPolicy.CheckEvery"/>: each breach is recorded
/// on the incident once, emitted as a <c>soc-sla-breach</c> security event (so into the SOC's own event store, where a
/// rule can escalate it) and announced by webhook and email. A breach is marked before it is announced: should the
/// host stop between the two, that announcement is lost, never repeated.
/// </summary>
internal sealed class SlaMonitor(IncidentSla sla, IncidentNotifier notifier, ISecurityEventSink events, TimeProvider time, ILogger<SlaMonitor> logger) : BackgroundService
{
    /// <summary>The security event of a breach.</summary>
    public const string BreachAction = "soc-sla-breach";

    /// <summary>Runs one check; returns the breaches found.</summary>
    public async Task<IReadOnlyList<SlaBreach>> CheckAsync(CancellationToken cancellationToken)
    {
        var breaches = await sla.SweepAsync(cancellationToken);

        // Note: the breaches are already marked: each is announced on its own, so one failed event write does not keep the
        // others from their webhook and mail.
        foreach (var breach in breaches)
        {
            try
            {
                await events.WriteAsync(new SecurityEvent(
                    time.GetUtcNow(), BreachAction, "failure", UserName: breach.Assignee, Opd: breach.Opd,
                    Reason: string.Create(CultureInfo.InvariantCulture, $"incident {breach.IncidentId} {(breach.Kind == SlaKind.Acknowledge ? "acknowledge" : "resolve")} severity {breach.Severity.Label()}"),
                    Actor: Spbe.Security.Soc.Incidents.IncidentService.SystemActor), cancellationToken);
            }
            catch (Exception ex) when (ex is IOException or InvalidOperationException)
            {
                logger.SlaCheckFailed(ex, sla.Policy.CheckEvery);
            }

            notifier.Post([breach]);
        }

        return breaches;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(sla.Policy.CheckEvery, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await CheckAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // Note: a failed check (database down) is logged and tried again at the next tick; no breach is missed, as
                // breaches are found from the incidents' times, not from a queue.
                logger.SlaCheckFailed(ex, sla.Policy.CheckEvery);
            }
        }
    }
}
