using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Spbe.Security.Data;
using Spbe.Security.Pki.Authority;
using Spbe.Security.Testing;

namespace Spbe.Security.Pki;

/// <summary>A real CA over a temporary data directory and the relational engine of the test leg, created with
/// <c>spbe pki init</c>'s own code, plus helpers to make keys and requests with openssl.</summary>
public sealed class PkiTestCa : IAsyncDisposable
{
    private readonly TempDirectory _temp = new();
    private TestDatabase _database = null!;
    private KeyValuePair<string, string?>[] _settings = [];

    public const string Nip = "198503302010011002";

    public IHost Host { get; private set; } = null!;

    public CertificateAuthority Authority => Host.Services.GetRequiredService<CertificateAuthority>();

    public string Work => _temp.Path;

    public string DataDirectory => _temp.Combine("data");

    public string PkiFolder => _temp.Combine("data", "pki");

    public static SubjectInfo Official => new("Budi Santoso", Nip, "DISKOMINFO", "Kepala Dinas", "budi@kota.go.id");

    public static Task<PkiTestCa> CreateAsync(params KeyValuePair<string, string?>[] settings) => CreateAsync(null, settings);

    public static async Task<PkiTestCa> CreateAsync(TimeProvider? time, params KeyValuePair<string, string?>[] settings)
    {
        var ca = new PkiTestCa();
        ca._database = await TestDatabase.CreateAsync();
        ca._settings = [.. ca._database.Settings, .. settings];
        var builder = TestHosts.CreateBuilder(ca.DataDirectory, settings: ca._settings);
        if (time is not null)
        {
            builder.Services.AddSingleton(time);
        }

        builder.AddSpbePki();
        ca.Host = builder.Build();
        await ca.Host.Services.GetRequiredService<DataDirectoryInitializer>().InitializeAsync();
        await ca.Authority.InitializeAsync("test");
        return ca;
    }

    /// <summary>Another host on the same data and database, as a second process (the CLI, another node) would be.</summary>
    public IHost CreateSiblingHost()
    {
        var builder = TestHosts.CreateBuilder(DataDirectory, settings: _settings);
        builder.AddSpbePki();
        return builder.Build();
    }

    /// <summary>Makes a key and a CSR with openssl; returns the CSR's path.</summary>
    /// <param name="name">File name stem.</param>
    /// <param name="keyType"><c>ec:P-256</c>, <c>ec:P-384</c>, <c>ec:P-521</c>, <c>rsa:2048</c>, <c>rsa:3072</c>…</param>
    /// <param name="subject">The subject openssl writes into the request.</param>
    public async Task<string> RequestAsync(string name, string keyType, string subject)
    {
        var key = Path.Combine(Work, name + ".key");
        var csr = Path.Combine(Work, name + ".csr");
        var (algorithm, parameter) = (keyType.Split(':')[0], keyType.Split(':')[1]);
        var genpkey = algorithm == "ec"
            ? await ExternalTool.OpenSslAsync(Work, "genpkey", "-algorithm", "EC", "-pkeyopt", $"ec_paramgen_curve:{parameter}", "-out", key)
            : await ExternalTool.OpenSslAsync(Work, "genpkey", "-algorithm", "RSA", "-pkeyopt", $"rsa_keygen_bits:{parameter}", "-out", key);
        Assert.True(genpkey.ExitCode == 0, genpkey.ToString());
        var req = await ExternalTool.OpenSslAsync(Work, "req", "-new", "-key", key, "-subj", subject, "-out", csr);
        Assert.True(req.ExitCode == 0, req.ToString());
        return csr;
    }

    /// <summary>Writes a certificate as PEM into the work folder; returns its path.</summary>
    public string Save(string name, IssuedCertificate certificate)
    {
        var path = Path.Combine(Work, name + ".pem");
        File.WriteAllText(path, certificate.ToPem());
        return path;
    }

    /// <summary><c>openssl verify</c> against the root, with the issuing CA as the intermediate.</summary>
    public Task<ToolRun> VerifyAsync(string certificate, params string[] extra) =>
        ExternalTool.OpenSslAsync(Work, ["verify", "-CAfile", Path.Combine(PkiFolder, "root.crt"), "-untrusted", Path.Combine(PkiFolder, "issuing.crt"), .. extra, certificate]);

    public async ValueTask DisposeAsync()
    {
        Host.Dispose();
        await _database.DisposeAsync();
        _temp.Dispose();
    }
}
