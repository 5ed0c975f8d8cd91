using System.Net;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Spbe.Security.Soc.Ingest;

/// <summary>
/// Runs the SOC's receiving side in the Host: opens the pipeline (replaying the write-ahead log), then the listeners on
/// <see cref="SocOptions"/>'s ports: syslog UDP and TCP, syslog over TLS (when a certificate is available) and RELP.
/// On stop, listeners close first, then the pipeline writes what it holds.
/// </summary>
/// <remarks>The pipeline is asked for only when the service starts, after the host has validated every option: building
/// it earlier (when hosted services are constructed) would report a bad SOC setting alone, hiding the others.</remarks>
public sealed class SocIngestService(
    Func<IngestPipeline> pipelineFactory, SourceCatalog sources, IOptions<SocOptions> options, ILogger<SocIngestService> logger,
    ISyslogTlsCredentials? tls = null) : IHostedService, IAsyncDisposable
{
    private IngestPipeline? _pipeline;

    private readonly List<IDisposable> _listeners = [];
    private readonly List<Task> _running = [];
    private readonly CancellationTokenSource _stopping = new();

    /// <summary>Where each listener ended up (ports of 0 are chosen by the system): <c>udp</c>, <c>tcp</c>, <c>tls</c>, <c>relp</c>.</summary>
    public IReadOnlyDictionary<string, IPEndPoint> Endpoints { get; private set; } = new Dictionary<string, IPEndPoint>();

    /// <inheritdoc />
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (!settings.Enabled)
        {
            return;
        }

        var pipeline = _pipeline = pipelineFactory();
        await pipeline.StartAsync(cancellationToken);
        var context = new IngestContext(pipeline, sources, settings, logger);
        var address = IPAddress.Parse(settings.BindAddress);
        var endpoints = new Dictionary<string, IPEndPoint>();
        var udp = new UdpSyslogListener(context, new IPEndPoint(address, settings.SyslogUdpPort));
        Add("udp", udp, udp.LocalEndpoint, udp.RunAsync);
        var tcp = new SyslogTcpListener(context, new IPEndPoint(address, settings.SyslogTcpPort), tls: null);
        Add("tcp", tcp, tcp.LocalEndpoint, tcp.RunAsync);
        if (tls?.ServerCertificate() is not null)
        {
            var secure = new SyslogTcpListener(context, new IPEndPoint(address, settings.SyslogTlsPort), tls);
            Add("tls", secure, secure.LocalEndpoint, secure.RunAsync);
        }

        var relp = new RelpListener(context, new IPEndPoint(address, settings.RelpPort));
        Add("relp", relp, relp.LocalEndpoint, relp.RunAsync);
        Endpoints = endpoints;

        void Add(string name, IDisposable listener, IPEndPoint endpoint, Func<CancellationToken, Task> run)
        {
            _listeners.Add(listener);
            endpoints[name] = endpoint;
            Log.Listening(logger, name, endpoint.ToString());
            _running.Add(Task.Run(() => run(_stopping.Token), CancellationToken.None));
        }
    }

    private int _stopped;

    /// <inheritdoc />
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        // Note: the host may stop the service after disposing it (a failed start, a test factory): stopping is done once.
        if (Interlocked.Exchange(ref _stopped, 1) == 1)
        {
            return;
        }

        await _stopping.CancelAsync();
        foreach (var listener in _listeners)
        {
            listener.Dispose();
        }

        await Task.WhenAll(_running).WaitAsync(cancellationToken);
        if (_pipeline is not null)
        {
            await _pipeline.DisposeAsync();
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None);
        _stopping.Dispose();
    }
}
