using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;

namespace Spbe.Security.Host.Hosting;

public sealed class HostingOptionsValidatorTests
{
    private sealed class Environment(string name) : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = name;

        public string ApplicationName { get; set; } = "test";

        public string ContentRootPath { get; set; } = "/";

        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }

    [Fact]
    public void Defaults_are_valid()
    {
        Assert.True(new HostingOptionsValidator(new Environment("Production")).Validate(null, new HostingOptions()).Succeeded);
    }

    [Fact]
    public void Development_trust_material_is_refused_outside_development()
    {
        var options = new HostingOptions { HttpsCertificateFile = "/app/certs-dev/out/server.crt", HttpsKeyFile = "/app/certs-dev/out/server.key" };

        Assert.True(new HostingOptionsValidator(new Environment("Development")).Validate(null, options).Succeeded);
        var failure = Assert.Single(new HostingOptionsValidator(new Environment("Production")).Validate(null, options).Failures!);
        Assert.Contains("certs-dev/", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_broken_rule_is_reported()
    {
        var options = new HostingOptions
        {
            BindAddress = "localhost",
            HttpPort = 9000,
            HttpsPort = 9000,
            HttpsCertificateFile = "/etc/spbe/tls.crt",
            OperationalNetworks = ["10.0.0.0/8", "10.0.0.0/33"],
        };

        var failures = new HostingOptionsValidator(new Environment("Production")).Validate(null, options).Failures;

        Assert.Equal(
            [
                "Host:BindAddress 'localhost' is not an IP address.",
                "Host:HttpPort and Host:HttpsPort both use port 9000.",
                "Host:HttpsCertificateFile and Host:HttpsKeyFile must be set together.",
                "Host:OperationalNetworks entry '10.0.0.0/33' is not a CIDR network.",
            ],
            failures);
    }
}
