using System.ComponentModel.DataAnnotations;

namespace Spbe.Security.Host.Hosting;

/// <summary>Listeners and operational endpoints of the host. Bound from the <c>Host</c> configuration section.</summary>
public sealed class HostingOptions
{
    public const string SectionName = "Host";

    /// <summary>The address the HTTP and HTTPS listeners bind to.</summary>
    /// <value>The default value is <c>127.0.0.1</c>.</value>
    [Required(AllowEmptyStrings = false)]
    public string BindAddress { get; set; } = HostingDefaults.BindAddress;

    /// <summary>HTTP port (0 picks a free port).</summary>
    /// <value>The default value is 8080.</value>
    [Range(0, 65535)]
    public int HttpPort { get; set; } = HostingDefaults.HttpPort;

    /// <summary>HTTPS port (0 picks a free port).</summary>
    /// <value>The default value is 8443.</value>
    [Range(0, 65535)]
    public int HttpsPort { get; set; } = HostingDefaults.HttpsPort;

    /// <summary>Whether the HTTPS listener runs.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool EnableHttps { get; set; } = true;

    /// <summary>A PEM certificate (with chain) for the HTTPS listener. When unset, the self-signed certificate
    /// generated in <c>data/tls</c> is used.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? HttpsCertificateFile { get; set; }

    /// <summary>The PEM private key of <see cref="HttpsCertificateFile"/>.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? HttpsKeyFile { get; set; }

    /// <summary>Networks (CIDR) allowed to read <c>/metrics</c> and the details of <c>/readyz</c>. When empty,
    /// loopback only (<c>127.0.0.0/8</c> and <c>::1/128</c>).</summary>
    /// <value>The default value is empty (loopback only).</value>
    public IReadOnlyList<string> OperationalNetworks { get; set; } = [];
}
