namespace Spbe.Security.Host.Hosting;

/// <summary>Stable codes of the host; runbooks/startup.md handles them.</summary>
internal static class HostingErrors
{
    /// <summary>Configuration failed validation at start.</summary>
    public const string InvalidConfiguration = "HOST-0001";

    /// <summary>The configured HTTPS certificate cannot be loaded.</summary>
    public const string HttpsCertificateInvalid = "HOST-0002";

    /// <summary>A listener port is already in use or not permitted.</summary>
    public const string ListenFailed = "HOST-0003";

    /// <summary>An unexpected failure stopped the host.</summary>
    public const string Crashed = "HOST-0009";
}
