namespace Spbe.Security.Host.Hosting;

/// <summary>Default values of <see cref="HostingOptions"/> (the ports are those of ARCHITECTURE.md).</summary>
public static class HostingDefaults
{
    public const string BindAddress = "127.0.0.1";
    public const int HttpPort = 8080;
    public const int HttpsPort = 8443;

    public static IReadOnlyList<string> OperationalNetworks { get; } = ["127.0.0.0/8", "::1/128"];
}
