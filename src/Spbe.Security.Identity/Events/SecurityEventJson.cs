namespace Spbe.Security.Identity.Events;

/// <summary>The ECS-style JSON form of a <see cref="SecurityEvent"/>, as written to <c>data/events/identity.jsonl</c> and
/// handed to the SOC pipeline.</summary>
public static class SecurityEventJson
{
    /// <summary>One JSON object (no line end).</summary>
    public static string Serialize(SecurityEvent securityEvent)
    {
        ArgumentNullException.ThrowIfNull(securityEvent);
        return JsonLinesSecurityEventSink.Serialize(securityEvent);
    }
}
