using Spbe.Security.Data;

namespace Spbe.Security.Host.Hosting;

/// <summary>Whether start-up initialisation has finished, for the readiness probe.</summary>
internal sealed class StartupState
{
    private volatile InitializationReport? _report;

    public InitializationReport? Report => _report;

    public void Completed(InitializationReport report) => _report = report;
}
