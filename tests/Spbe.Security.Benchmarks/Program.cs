using BenchmarkDotNet.Running;

// dotnet run -c Release --project tests/Spbe.Security.Benchmarks -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);

/// <summary>The entry point (a type for BenchmarkSwitcher to find the assembly by).</summary>
public partial class Program;
