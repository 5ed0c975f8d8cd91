using Spbe.Security.Keys;

namespace Spbe.Security.Data;

/// <summary>What initialising the data directory found and did.</summary>
/// <param name="DataDirectory">The absolute path of the data directory.</param>
/// <param name="MasterKeySource">Where the master key came from.</param>
/// <param name="Steps">Each item made, updated or kept, in order.</param>
public sealed record InitializationReport(string DataDirectory, MasterKeySource MasterKeySource, IReadOnlyList<InitializationStep> Steps);
