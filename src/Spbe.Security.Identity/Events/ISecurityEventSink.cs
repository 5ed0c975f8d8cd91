namespace Spbe.Security.Identity.Events;

/// <summary>
/// Where the Identity capability sends its security events. The host routes them into the SOC pipeline; the default
/// writes them to an append-only JSON-lines file under <c>data/events/</c>.
/// </summary>
/// <remarks>Implementations must not throw: a failure to record an event must never fail a sign-in. Report failures
/// through logging instead.</remarks>
public interface ISecurityEventSink
{
    /// <summary>Records <paramref name="securityEvent"/>.</summary>
    ValueTask WriteAsync(SecurityEvent securityEvent, CancellationToken cancellationToken = default);
}
