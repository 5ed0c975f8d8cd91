using BenchmarkDotNet.Attributes;
using Spbe.Security.Keys;

namespace Spbe.Security.Benchmarks;

/// <summary>Sealing and opening key material under the master key (done for every key load and every key written).</summary>
[MemoryDiagnoser]
public class KeysBenchmarks : IDisposable
{
    private readonly MasterKey _key = MasterKey.Generate();
    private byte[] _plaintext = [];
    private byte[] _sealed = [];

    /// <summary>Sizes: an ECDSA P-256 PKCS#8 key (138 bytes) and an RSA-4096 one (~2.4 kB).</summary>
    [Params(138, 2374)]
    public int Size { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _plaintext = new byte[Size];
        System.Security.Cryptography.RandomNumberGenerator.Fill(_plaintext);
        _sealed = _key.Seal(_plaintext, "bench");
    }

    [Benchmark]
    public byte[] Seal() => _key.Seal(_plaintext, "bench");

    [Benchmark]
    public bool Unseal() => _key.TryUnseal(_sealed, "bench", out _);

    public void Dispose()
    {
        _key.Dispose();
        GC.SuppressFinalize(this);
    }
}
