using Xunit;

namespace Spbe.Security.Testing;

/// <summary>
/// A fact that needs an external program (e.g. <c>softhsm2-util</c>). Skipped on a developer machine without it;
/// never skipped under <c>CI=true</c>, where <c>.ci/run</c> installs it and a missing program makes the test fail.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ToolFactAttribute : FactAttribute
{
    public ToolFactAttribute(string program, string package)
    {
        var found = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator)
            .Any(directory => File.Exists(Path.Combine(directory, program)));
        if (!found && !TestEnvironment.IsCi)
        {
            Skip = $"needs {program} (Debian package {package}; .ci/run installs it, and under CI=true this test always runs)";
        }
    }
}
