using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Options;
using Spbe.Security.Tls;

namespace Spbe.Security.Host.Hosting;

/// <summary>
/// The HTTPS listener's certificate with its chain: the configured PEM files, or the certificate generated in the
/// data directory. Built once into an <see cref="SslStreamCertificateContext"/>, which Kestrel reuses per handshake.
/// </summary>
internal sealed class HttpsCertificateProvider(IOptions<HostingOptions> options, HttpsCertificateStore store) : IDisposable
{
    private X509Certificate2? _certificate;
    private X509Certificate2Collection _chain = [];
    private SslStreamCertificateContext? _context;

    /// <summary>The context for handshakes; <see cref="Load"/> must have run (the start-up service does it before
    /// Kestrel binds).</summary>
    public SslStreamCertificateContext Context => _context ?? throw new InvalidOperationException("The HTTPS certificate is not loaded yet.");

    public void Load()
    {
        var configured = options.Value;
        if (string.IsNullOrWhiteSpace(configured.HttpsCertificateFile))
        {
            _certificate = store.Load();
        }
        else
        {
            try
            {
                _certificate = X509Certificate2.CreateFromPemFile(configured.HttpsCertificateFile, configured.HttpsKeyFile);
                var all = new X509Certificate2Collection();
                all.ImportFromPemFile(configured.HttpsCertificateFile);
                _chain = [.. all.Where(c => c.Thumbprint != _certificate.Thumbprint)];
            }
            catch (Exception ex) when (ex is CryptographicException or IOException or UnauthorizedAccessException or ArgumentException)
            {
                throw new SpbeException(HostingErrors.HttpsCertificateInvalid,
                    $"the HTTPS certificate {configured.HttpsCertificateFile} or key {configured.HttpsKeyFile} cannot be loaded: {ex.Message}", ex);
            }
        }

        _context = SslStreamCertificateContext.Create(_certificate, _chain, offline: true);
    }

    public void Dispose()
    {
        _certificate?.Dispose();
        foreach (var certificate in _chain)
        {
            certificate.Dispose();
        }
    }
}
