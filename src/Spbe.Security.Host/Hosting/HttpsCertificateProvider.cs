using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Options;
using Spbe.Security.Tls;

namespace Spbe.Security.Host.Hosting;

/// <summary>The HTTPS listener's certificate: the configured PEM pair, or the one generated in the data directory.</summary>
internal sealed class HttpsCertificateProvider(IOptions<HostingOptions> options, HttpsCertificateStore store) : IDisposable
{
    private X509Certificate2? _certificate;

    /// <summary>The certificate; <see cref="Load"/> must have run (the startup service does it before Kestrel binds).</summary>
    public X509Certificate2 Current => _certificate ?? throw new InvalidOperationException("The HTTPS certificate is not loaded yet.");

    public void Load()
    {
        var configured = options.Value;
        if (string.IsNullOrWhiteSpace(configured.HttpsCertificateFile))
        {
            _certificate = store.Load();
            return;
        }

        try
        {
            _certificate = X509Certificate2.CreateFromPemFile(configured.HttpsCertificateFile, configured.HttpsKeyFile);
        }
        catch (Exception ex) when (ex is CryptographicException or IOException)
        {
            throw new SpbeException(HostingErrors.HttpsCertificateInvalid,
                $"the HTTPS certificate {configured.HttpsCertificateFile} or key {configured.HttpsKeyFile} cannot be loaded: {ex.Message}", ex);
        }
    }

    public void Dispose() => _certificate?.Dispose();
}
