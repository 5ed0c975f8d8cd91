using System.Text;
using Spbe.Security.Identity.Events;
using Spbe.Security.Soc.Ingest;

namespace Spbe.Security.Host.Soc;

/// <summary>
/// Sends the Identity and signing security events into the SOC pipeline as well as to their own file, so that the CSIRT
/// searches and correlates them with every other log. A full or stopped pipeline never fails a sign-in: the event is
/// still in <c>events/identity.jsonl</c>, and the miss is counted (<c>spbe_soc_dropped{reason="internal"}</c>).
/// </summary>
/// <remarks>The pipeline is looked up on the first event, not when the sink is built: services built while the host is
/// still starting (before its options are validated) may take a sink.</remarks>
internal sealed class SocSecurityEventSink(ISecurityEventSink inner, Func<IngestPipeline> pipeline, SocMetrics metrics) : ISecurityEventSink
{
    /// <summary>The source name of these events (<c>observer.name</c>).</summary>
    public const string SourceName = "spbe-security";

    /// <summary>How long an event may wait for room in the pipeline.</summary>
    private static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(2);

    public async ValueTask WriteAsync(SecurityEvent securityEvent, CancellationToken cancellationToken = default)
    {
        await inner.WriteAsync(securityEvent, cancellationToken);
        var record = new IngestRecord(
            securityEvent.Timestamp.ToUnixTimeMilliseconds(), IngestTransport.Internal, IngestFlags.None, securityEvent.SourceIp ?? "",
            new SourceIdentity(SourceName, securityEvent.Opd), Encoding.UTF8.GetBytes(SecurityEventJson.Serialize(securityEvent)));
        try
        {
            using var timeout = new CancellationTokenSource(MaxWait);
            await pipeline().SubmitAsync([record], durable: false, timeout.Token);
        }
        catch (Exception ex) when (ex is OperationCanceledException or InvalidOperationException)
        {
            metrics.Dropped("internal");
        }
    }
}
