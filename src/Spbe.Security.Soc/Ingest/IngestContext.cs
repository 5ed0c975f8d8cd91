using System.Net;
using Microsoft.Extensions.Logging;

namespace Spbe.Security.Soc.Ingest;

/// <summary>What every listener shares: the pipeline, the sources, the limits and a clock.</summary>
internal sealed class IngestContext(IngestPipeline pipeline, SourceCatalog sources, SocOptions options, ILogger logger)
{
    public IngestPipeline Pipeline => pipeline;

    public SocOptions Options => options;

    public ILogger Logger => logger;

    public SocMetrics Metrics => pipeline.Metrics;

    public long NowUnixMs => pipeline.Time.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>The source of <paramref name="address"/>, and the flag to set when it is unknown.</summary>
    public (SourceIdentity Source, IngestFlags Flags) Attribute(IPAddress address) =>
        sources.ForAddress(address) is { } known ? (known, IngestFlags.None) : (SourceIdentity.Unknown, IngestFlags.UnknownSource);

    /// <summary>The address as events show it (IPv4-mapped IPv6 addresses as IPv4).</summary>
    public static IPAddress Canonical(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;

    public SourceCatalog Sources => sources;
}
