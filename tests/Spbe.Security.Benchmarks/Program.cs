using BenchmarkDotNet.Running;
using Spbe.Security.Benchmarks;

// Micro-benchmarks: dotnet run -c Release --project tests/Spbe.Security.Benchmarks -- --filter '*'
// End-to-end drivers (used by bench/*.sh): pki-issue ALGORITHM COUNT CONCURRENCY; tte FILE ALGORITHM LEVEL COUNT CONCURRENCY;
// soc-query DIR EVENTS LOG; incident-group DIR ALERTS SUBJECTS BATCH; incident-fill DATADIR INCIDENTS
if (args.FirstOrDefault() == "pki-issue")
{
    return await PkiIssuanceDriver.RunAsync(args);
}

if (args.FirstOrDefault() == "soc-query")
{
    return await SocQueryDriver.RunAsync(args);
}

if (args.FirstOrDefault() == "incident-group")
{
    return await IncidentGroupingDriver.RunAsync(args);
}

if (args.FirstOrDefault() == "incident-fill")
{
    return await IncidentFillDriver.RunAsync(args);
}

if (args.FirstOrDefault() == "tte")
{
    return await TteDriver.RunAsync(args);
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;

/// <summary>The entry point (a type for BenchmarkSwitcher to find the assembly by).</summary>
public partial class Program;
