using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging.Abstractions;
using Spbe.Security.Data;
using Spbe.Security.Policies;
using Spbe.Security.Soc.Store;
using Spbe.Security.Testing;

namespace Spbe.Security.Soc.Ingest;

/// <summary>
/// The SOC's receiving side in-process on ephemeral loopback ports, over a temporary data and policies directory: the
/// real pipeline, write-ahead log, store and listeners, with a test CA for syslog over TLS.
/// </summary>
internal sealed class SocTestServer : IAsyncDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly SocIngestService _service;

    private SocTestServer(string sourcesYaml, Action<SocOptions>? configure, Alerts.AlertDetector? detector)
    {
        Directory.CreateDirectory(_temp.Combine("policies", "soc"));
        File.WriteAllText(_temp.Combine("policies", "soc", "sources.yaml"), sourcesYaml);
        File.WriteAllText(_temp.Combine("policies", "soc", "retention.yaml"), "events_days: 30\n");
        var options = new SocOptions { SyslogUdpPort = 0, SyslogTcpPort = 0, SyslogTlsPort = 0, RelpPort = 0 };
        configure?.Invoke(options);
        Options = options;
        var policies = new PolicyDirectory(_temp.Combine("policies"));
        Tls = new TestTlsCredentials();
        Store = new SqliteEventStore(Path.Combine(DataDirectory, "soc"), TimeZoneInfo.FindSystemTimeZoneById(options.SourceTimeZone));
        Metrics = new SocMetrics();
        Pipeline = new IngestPipeline(Microsoft.Extensions.Options.Options.Create(options), new DataDirectory(DataDirectory), Store, Metrics,
            new SocRetentionPolicy(policies), TimeProvider.System, NullLogger<IngestPipeline>.Instance, detector);
        Sources = new SourceCatalog(policies);
        _service = new SocIngestService(() => Pipeline, Sources, Microsoft.Extensions.Options.Options.Create(options), NullLogger<SocIngestService>.Instance, Tls);
    }

    public const string LoopbackSources = """
        sources:
          - name: host-uji
            opd: DISKOMINFO
            networks: [127.0.0.1/32]
          - name: fw01-uji
            opd: DINKES
            tls_client_subject: CN=fw01.dinkes.go.id
        """;

    public SocOptions Options { get; }

    public string DataDirectory => _temp.Combine("data");

    public string WorkDirectory => _temp.Path;

    public TestTlsCredentials Tls { get; }

    public SqliteEventStore Store { get; }

    public SocMetrics Metrics { get; }

    public IngestPipeline Pipeline { get; }

    public SourceCatalog Sources { get; }

    public IPEndPoint Endpoint(string name) => _service.Endpoints[name];

    public static async Task<SocTestServer> StartAsync(string? sourcesYaml = null, Action<SocOptions>? configure = null, Alerts.AlertDetector? detector = null)
    {
        var server = new SocTestServer(sourcesYaml ?? LoopbackSources, configure, detector);
        await server._service.StartAsync(CancellationToken.None);
        return server;
    }

    /// <summary>Waits until the store holds <paramref name="count"/> events matching <paramref name="query"/> (or all).</summary>
    public async Task<long> WaitForCountAsync(long count, EventQuery? query = null, int seconds = 60)
    {
        var deadline = TimeProvider.System.GetUtcNow().AddSeconds(seconds);
        long seen;
        do
        {
            await Pipeline.DrainAsync();
            seen = await Store.CountAsync(query ?? new EventQuery());
            if (seen >= count)
            {
                return seen;
            }

            await Task.Delay(100);
        }
        while (TimeProvider.System.GetUtcNow() < deadline);
        return seen;
    }

    /// <summary>Waits until <paramref name="condition"/> holds (checked every 50 ms), at most <paramref name="seconds"/>.</summary>
    public static async Task WaitUntilAsync(Func<bool> condition, int seconds = 10)
    {
        var deadline = TimeProvider.System.GetUtcNow().AddSeconds(seconds);
        while (!condition() && TimeProvider.System.GetUtcNow() < deadline)
        {
            await Task.Delay(50);
        }
    }

    public async Task<IReadOnlyList<SocEvent>> AllAsync(EventQuery? query = null)
    {
        await Pipeline.DrainAsync();
        var all = new List<SocEvent>();
        string? cursor = null;
        do
        {
            var page = await Store.QueryAsync((query ?? new EventQuery()) with { Limit = EventQuery.MaxLimit, Cursor = cursor });
            all.AddRange(page.Events);
            cursor = page.NextCursor;
        }
        while (cursor is not null);
        all.Reverse();
        return all;
    }

    public async ValueTask DisposeAsync()
    {
        await _service.StopAsync(CancellationToken.None);
        Store.Dispose();
        Tls.Dispose();
        _temp.Dispose();
    }

    /// <summary>A test CA, a server certificate for 127.0.0.1 issued by it, and client certificates on demand.</summary>
    internal sealed class TestTlsCredentials : ISyslogTlsCredentials, IDisposable
    {
        private readonly X509Certificate2 _server;

        public TestTlsCredentials()
        {
            using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var caRequest = new CertificateRequest("CN=SOC Test CA", caKey, HashAlgorithmName.SHA256);
            caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
            caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
            caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, false));
            Ca = caRequest.CreateSelfSigned(TimeProvider.System.GetUtcNow().AddDays(-1), TimeProvider.System.GetUtcNow().AddDays(30));
            _server = Issue("CN=127.0.0.1", serverAuth: true);
        }

        public X509Certificate2 Ca { get; }

        public string CaPem => Ca.ExportCertificatePem();

        public X509Certificate2? ServerCertificate() => _server;

        public bool IsTrustedClient(X509Certificate2 certificate)
        {
            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.Add(Ca);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            return chain.Build(certificate);
        }

        /// <summary>A certificate with its key, issued by the test CA.</summary>
        public X509Certificate2 Issue(string subject, bool serverAuth)
        {
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
            request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
                [new Oid(serverAuth ? "1.3.6.1.5.5.7.3.1" : "1.3.6.1.5.5.7.3.2")], false));
            if (serverAuth)
            {
                var names = new SubjectAlternativeNameBuilder();
                names.AddIpAddress(IPAddress.Loopback);
                names.AddDnsName("localhost");
                request.CertificateExtensions.Add(names.Build());
            }

            using var ecKey = Ca.GetECDsaPrivateKey()!;
            using var issued = request.Create(Ca.SubjectName, X509SignatureGenerator.CreateForECDsa(ecKey), TimeProvider.System.GetUtcNow().AddDays(-1),
                TimeProvider.System.GetUtcNow().AddDays(10), RandomNumberGenerator.GetBytes(12));
            using var withKey = issued.CopyWithPrivateKey(key);
            return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
        }

        public void Dispose()
        {
            _server.Dispose();
            Ca.Dispose();
        }
    }
}
