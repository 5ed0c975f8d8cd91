using System.Security.Cryptography.X509Certificates;

namespace Spbe.Security.Soc.Ingest;

/// <summary>What the syslog-over-TLS listener needs from the rest of the system: its server certificate and the
/// judgement of client certificates (issued by our own CA). The Host provides it; without one, TLS is not offered.</summary>
public interface ISyslogTlsCredentials
{
    /// <summary>The server certificate with its private key, or <see langword="null"/> when there is none yet.</summary>
    X509Certificate2? ServerCertificate();

    /// <summary>Whether <paramref name="certificate"/> was issued by our CA, is valid now and is not revoked.</summary>
    bool IsTrustedClient(X509Certificate2 certificate);
}
