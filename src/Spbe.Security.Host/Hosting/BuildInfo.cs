using System.Reflection;

namespace Spbe.Security.Host.Hosting;

/// <summary>The product version as built (informational version, including the source revision when known).</summary>
internal static class BuildInfo
{
    public static string Version { get; } =
        typeof(BuildInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
}
