using System.Net;
using Microsoft.Extensions.Options;

namespace Spbe.Security.Host.Hosting;

/// <summary>Cross-field rules of <see cref="HostingOptions"/>; reports every broken rule.</summary>
public sealed class HostingOptionsValidator(IHostEnvironment environment) : IValidateOptions<HostingOptions>
{
    public ValidateOptionsResult Validate(string? name, HostingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (!IPAddress.TryParse(options.BindAddress, out _))
        {
            failures.Add($"Host:BindAddress '{options.BindAddress}' is not an IP address.");
        }

        if (options.EnableHttps && options.HttpPort != 0 && options.HttpPort == options.HttpsPort)
        {
            failures.Add($"Host:HttpPort and Host:HttpsPort both use port {options.HttpPort}.");
        }

        if (string.IsNullOrWhiteSpace(options.HttpsCertificateFile) != string.IsNullOrWhiteSpace(options.HttpsKeyFile))
        {
            failures.Add("Host:HttpsCertificateFile and Host:HttpsKeyFile must be set together.");
        }

        // Note: certs-dev/ holds throw-away trust material for docker-compose; it must never protect a real deployment.
        if (!environment.IsDevelopment() && IsDevelopmentMaterial(options.HttpsCertificateFile))
        {
            failures.Add($"Host:HttpsCertificateFile points into certs-dev/, which is for the Development environment only (current: {environment.EnvironmentName}).");
        }

        foreach (var network in options.OperationalNetworks.Where(n => !IPNetwork.TryParse(n, out _)))
        {
            failures.Add($"Host:OperationalNetworks entry '{network}' is not a CIDR network.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static bool IsDevelopmentMaterial(string? path) =>
        !string.IsNullOrWhiteSpace(path)
        && Path.GetFullPath(path).Replace('\\', '/').Contains("/certs-dev/", StringComparison.Ordinal);
}
