using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Org.BouncyCastle.X509;
using Spbe.Security.Data;
using Spbe.Security.Pki.Keys;
using BcCertificate = Org.BouncyCastle.X509.X509Certificate;

namespace Spbe.Security.Pki.Authority;

/// <summary>
/// The CA certificates and the delegated service certificates on disk (<c>data/pki/{name}.crt</c>, PEM) with their
/// keys in the key store under the same names: <c>root</c>, <c>issuing</c>, <c>ocsp</c>, <c>tsa</c>.
/// </summary>
internal sealed class CaHierarchy : IDisposable
{
    public const string Root = "root";
    public const string Issuing = "issuing";
    public const string Ocsp = "ocsp";
    public const string Tsa = "tsa";

    private readonly DataDirectory _dataDirectory;
    private readonly IKeyStore _keys;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, ISigningKey> _openKeys = new(StringComparer.Ordinal);
    private Snapshot? _snapshot;

    public CaHierarchy(DataDirectory dataDirectory, IKeyStore keys)
    {
        _dataDirectory = dataDirectory;
        _keys = keys;
    }

    public IKeyStore KeyStore => _keys;

    public string Folder => Path.Combine(_dataDirectory.Root, "pki");

    public string CrlFolder => Path.Combine(Folder, "crl");

    public string CertificateFile(string name) => Path.Combine(Folder, name + ".crt");

    public bool IsInitialized => new[] { Root, Issuing, Ocsp, Tsa }.All(n => File.Exists(CertificateFile(n)));

    /// <summary>The certificates, read once (and again after <see cref="Reset"/>).</summary>
    /// <exception cref="SpbeException">The hierarchy has not been created (<c>PKI-0001</c>).</exception>
    public Snapshot Current
    {
        get
        {
            lock (_gate)
            {
                if (_snapshot is null)
                {
                    if (!IsInitialized)
                    {
                        throw new SpbeException(PkiErrors.NotInitialized, "the CA has not been created yet: run 'spbe pki init'");
                    }

                    _snapshot = new Snapshot(Read(Root), Read(Issuing), Read(Ocsp), Read(Tsa));
                }

                return _snapshot;
            }
        }
    }

    /// <summary>The key with this label, opened once and kept for the life of the process.</summary>
    public ISigningKey Key(string label)
    {
        lock (_gate)
        {
            if (!_openKeys.TryGetValue(label, out var key))
            {
                key = _keys.Open(label);
                _openKeys[label] = key;
            }

            return key;
        }
    }

    /// <summary>Forgets what was read (after <c>init</c> wrote new files).</summary>
    public void Reset()
    {
        lock (_gate)
        {
            _snapshot = null;
        }
    }

    /// <summary>Writes a certificate file atomically (temporary file, then rename).</summary>
    public void Write(string name, byte[] der)
    {
        Directory.CreateDirectory(Folder);
        CaHierarchyFiles.WriteAtomically(CertificateFile(name), System.Text.Encoding.ASCII.GetBytes(PemEncoding.WriteString("CERTIFICATE", der) + "\n"));
    }

    public void Dispose()
    {
        lock (_gate)
        {
            foreach (var key in _openKeys.Values)
            {
                key.Dispose();
            }

            _openKeys.Clear();
        }
    }

    private Entry Read(string name)
    {
        var path = CertificateFile(name);
        try
        {
            using var certificate = X509Certificate2.CreateFromPem(File.ReadAllText(path));
            var der = certificate.RawData;
            return new Entry(name, der, new X509CertificateParser().ReadCertificate(der));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException or ArgumentException)
        {
            throw new SpbeException(PkiErrors.NotInitialized, $"the CA certificate {path} cannot be read ({ex.Message.TrimEnd('.')})", ex);
        }
    }

    /// <summary>One certificate of the hierarchy.</summary>
    public sealed record Entry(string Name, byte[] Der, BcCertificate Certificate);

    /// <summary>All four, read together.</summary>
    public sealed record Snapshot(Entry Root, Entry Issuing, Entry Ocsp, Entry Tsa);
}

/// <summary>File helpers of the PKI's data folder.</summary>
internal static class CaHierarchyFiles
{
    /// <summary>Writes a file atomically: a temporary file beside it, then a rename.</summary>
    public static void WriteAtomically(string path, byte[] content)
    {
        var temporary = path + "." + Guid.NewGuid().ToString("N")[..8] + ".tmp";
        File.WriteAllBytes(temporary, content);
        File.Move(temporary, path, overwrite: true);
    }
}
