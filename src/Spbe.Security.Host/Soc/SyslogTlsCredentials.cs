using System.Security.Cryptography.X509Certificates;
using Spbe.Security.Pki.Authority;
using Spbe.Security.Soc.Ingest;
using Spbe.Security.Tls;

namespace Spbe.Security.Host.Soc;

/// <summary>
/// The syslog-over-TLS listener uses the Host's HTTPS certificate, and accepts a client certificate only if our own
/// CA issued it (root and issuing CA of the hierarchy), it is valid now, and it is not revoked or suspended.
/// </summary>
internal sealed class SyslogTlsCredentials(HttpsCertificateStore https, CertificateAuthority authority, TimeProvider time) : ISyslogTlsCredentials
{
    private X509Certificate2? _server;

    public X509Certificate2? ServerCertificate()
    {
        if (_server is { } loaded && loaded.NotAfter.ToUniversalTime() > time.GetUtcNow().UtcDateTime.AddDays(1))
        {
            return loaded;
        }

        try
        {
            _server = https.Load();
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException or System.Security.Cryptography.CryptographicException)
        {
            return null;
        }

        return _server;
    }

    public bool IsTrustedClient(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        if (!authority.IsInitialized || authority.HierarchyCertificate("root") is not { } rootDer || authority.HierarchyCertificate("issuing") is not { } issuingDer)
        {
            return false;
        }

        using var root = X509CertificateLoader.LoadCertificate(rootDer);
        using var issuing = X509CertificateLoader.LoadCertificate(issuingDer);
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(root);
        chain.ChainPolicy.ExtraStore.Add(issuing);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = time.GetUtcNow().UtcDateTime;
        chain.ChainPolicy.ApplicationPolicy.Add(new System.Security.Cryptography.Oid("1.3.6.1.5.5.7.3.2"));
        if (!chain.Build(certificate))
        {
            return false;
        }

        // Note: revocation straight from the CA's records (the listener runs beside the CA), not through a CRL download.
        var status = authority.FindAsync(certificate.SerialNumber).GetAwaiter().GetResult();
        return status is { State: Spbe.Security.Pki.Persistence.CertificateState.Good };
    }
}
