using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Spbe.Security.Data;
using Spbe.Security.Keys;

namespace Spbe.Security.Tls;

/// <summary>
/// The self-signed certificate of the HTTPS listener on embedded defaults: <c>data/tls/https.crt</c> (PEM) and its
/// private key sealed under the master key in <c>data/tls/https.key.sealed</c>. Production configures its own
/// certificate instead.
/// </summary>
public sealed class HttpsCertificateStore
{
    /// <summary>The master-key purpose the private key is sealed for.</summary>
    public const string SealPurpose = "tls/https-key";

    /// <summary>How long a generated certificate is valid.</summary>
    public static readonly TimeSpan Validity = TimeSpan.FromDays(365);

    /// <summary>A generated certificate this close to expiry is replaced at start.</summary>
    public static readonly TimeSpan RenewBefore = TimeSpan.FromDays(30);

    private readonly DataDirectory _dataDirectory;
    private readonly MasterKeyProvider _masterKeys;
    private readonly TimeProvider _timeProvider;

    /// <summary>Creates the store.</summary>
    public HttpsCertificateStore(DataDirectory dataDirectory, MasterKeyProvider masterKeys, TimeProvider timeProvider)
    {
        _dataDirectory = dataDirectory;
        _masterKeys = masterKeys;
        _timeProvider = timeProvider;
    }

    /// <summary>The certificate file.</summary>
    public string CertificateFile => Path.Combine(_dataDirectory.TlsDirectory, "https.crt");

    /// <summary>The sealed private key file.</summary>
    public string SealedKeyFile => Path.Combine(_dataDirectory.TlsDirectory, "https.key.sealed");

    /// <summary>Loads the certificate with its private key.</summary>
    /// <exception cref="SpbeException">The files are missing or damaged, or the key does not open.</exception>
    public X509Certificate2 Load()
    {
        if (!File.Exists(CertificateFile) || !File.Exists(SealedKeyFile))
        {
            throw new SpbeException(DataErrors.TlsCertificateCorrupt,
                $"the HTTPS certificate {CertificateFile} or its key is missing; run 'spbe init' or start the host once");
        }

        X509Certificate2 certificate;
        try
        {
            certificate = X509Certificate2.CreateFromPem(File.ReadAllText(CertificateFile));
        }
        catch (CryptographicException ex)
        {
            throw new SpbeException(DataErrors.TlsCertificateCorrupt,
                $"the HTTPS certificate {CertificateFile} is damaged; delete {_dataDirectory.TlsDirectory} to have a new one generated", ex);
        }

        using (certificate)
        {
            if (!_masterKeys.GetKey().TryUnseal(File.ReadAllBytes(SealedKeyFile), SealPurpose, out var pkcs8))
            {
                throw new SpbeException(DataErrors.SealedFileUnreadable,
                    $"{SealedKeyFile} does not open with the current master key (key {_masterKeys.GetKey().KeyId})");
            }

            try
            {
                using var key = ECDsa.Create();
                key.ImportPkcs8PrivateKey(pkcs8, out _);
                return certificate.CopyWithPrivateKey(key);
            }
            catch (Exception ex) when (ex is CryptographicException or ArgumentException)
            {
                throw new SpbeException(DataErrors.TlsCertificateCorrupt,
                    $"the HTTPS key in {SealedKeyFile} does not match the certificate; delete {_dataDirectory.TlsDirectory} to have a new pair generated", ex);
            }
            finally
            {
                CryptographicOperations.ZeroMemory(pkcs8);
            }
        }
    }

    /// <summary>Creates the certificate when it is missing or close to expiry.</summary>
    /// <returns>A description of what was done, or <see langword="null"/> when the existing certificate is kept.</returns>
    public string? EnsureCreated()
    {
        var now = _timeProvider.GetUtcNow();
        // Note: one file without the other is damage, not absence: Load() reports it rather than overwrite.
        if (File.Exists(CertificateFile) || File.Exists(SealedKeyFile))
        {
            using var existing = Load();
            if (existing.NotAfter.ToUniversalTime() - now.UtcDateTime > RenewBefore)
            {
                return null;
            }
        }

        Directory.CreateDirectory(_dataDirectory.TlsDirectory);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost, O=Spbe.Security development", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        names.AddIpAddress(IPAddress.IPv6Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var certificate = request.CreateSelfSigned(now.AddMinutes(-5), now.Add(Validity));

        var pkcs8 = key.ExportPkcs8PrivateKey();
        try
        {
            File.WriteAllBytes(SealedKeyFile + ".tmp", _masterKeys.GetKey().Seal(pkcs8, SealPurpose));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(pkcs8);
        }

        // Note: both files are complete before either replaces the old pair, so a crash leaves a matching pair
        // behind or a leftover .tmp, never a certificate with another certificate's key.
        File.WriteAllText(CertificateFile + ".tmp", certificate.ExportCertificatePem() + "\n");
        File.Move(SealedKeyFile + ".tmp", SealedKeyFile, overwrite: true);
        File.Move(CertificateFile + ".tmp", CertificateFile, overwrite: true);
        return $"HTTPS certificate {certificate.Thumbprint} for localhost, valid until {certificate.NotAfter.ToUniversalTime():yyyy-MM-dd}";
    }
}
