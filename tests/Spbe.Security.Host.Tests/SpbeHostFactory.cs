using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Spbe.Security.Testing;

namespace Spbe.Security.Host;

/// <summary>
/// The real host in-process, on real Kestrel sockets (ports picked by the OS), over a temporary data directory and the
/// relational engine of the test leg.
/// </summary>
internal sealed class SpbeHostFactory : WebApplicationFactory<Program>
{
    private readonly TempDirectory _temp = new();
    private readonly IEnumerable<KeyValuePair<string, string?>> _settings;

    public SpbeHostFactory(TestDatabase database, params KeyValuePair<string, string?>[] settings)
    {
        _settings = [.. database.Settings, .. settings];
        UseKestrel();
    }

    public string DataDirectory => _temp.Combine("data");

    /// <summary>A client for the plain HTTP listener.</summary>
    public HttpClient CreateHttpClient() => new() { BaseAddress = Address("http://") };

    /// <summary>A client for the HTTPS listener that trusts exactly the certificate in the data directory.</summary>
    /// <param name="cookies">A cookie jar to carry a browser session, if any.</param>
    public HttpClient CreateHttpsClient(System.Net.CookieContainer? cookies = null) =>
        new(CreateHttpsHandler(cookies)) { BaseAddress = Address("https://") };

    /// <summary>A handler that trusts exactly the HTTPS certificate in the data directory and follows no redirect.</summary>
    public HttpClientHandler CreateHttpsHandler(System.Net.CookieContainer? cookies = null)
    {
        _ = Address("https://");
        using var expected = X509Certificate2.CreateFromPem(File.ReadAllText(Path.Combine(DataDirectory, "tls", "https.crt")));
        var thumbprint = expected.Thumbprint;
        return new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, certificate, _, _) => certificate?.Thumbprint == thumbprint,
            AllowAutoRedirect = false,
            UseCookies = cookies is not null,
            CookieContainer = cookies ?? new System.Net.CookieContainer(),
        };
    }

    private Uri Address(string scheme)
    {
        StartServer();
        var addresses = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        return new Uri(addresses.Single(a => a.StartsWith(scheme, StringComparison.Ordinal)));
    }

    /// <summary>A clock to run the host on instead of the system's (set before the host starts).</summary>
    public TimeProvider? Time { get; init; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        if (Time is { } time)
        {
            builder.ConfigureTestServices(services => services.AddSingleton(time));
        }

        builder.UseSetting("Spbe:DataDirectory", DataDirectory);
        builder.UseSetting("Spbe:PoliciesDirectory", RepositoryPaths.Policies);
        builder.UseSetting("Host:HttpPort", "0");
        builder.UseSetting("Host:HttpsPort", "0");
        builder.UseSetting("Soc:SyslogUdpPort", "0");
        builder.UseSetting("Soc:SyslogTcpPort", "0");
        builder.UseSetting("Soc:SyslogTlsPort", "0");
        builder.UseSetting("Soc:RelpPort", "0");
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            _temp.Dispose();
        }
    }
}
