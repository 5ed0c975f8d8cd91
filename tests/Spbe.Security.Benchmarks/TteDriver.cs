using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Spbe.Security.Pki.Authority;
using Spbe.Security.Pki.Keys;
using Spbe.Security.Pki.Signing;
using Spbe.Security.Testing;

namespace Spbe.Security.Benchmarks;

/// <summary>
/// Signing and verification throughput on a real CA: <c>count</c> documents signed (PAdES, the given level and key type)
/// and then verified, from <c>concurrency</c> callers, next to the limit measured in the same run: one SHA-256 pass over
/// the document plus one private-key operation, from the same number of callers. Prints one JSON line.
/// </summary>
/// <remarks><c>dotnet Spbe.Security.Benchmarks.dll tte FILE.pdf[.gz] ecdsa-p256 B-B 200 2</c></remarks>
internal static class TteDriver
{
    public static async Task<int> RunAsync(string[] args)
    {
        var path = args.ElementAtOrDefault(1) ?? throw new ArgumentException("tte FILE ALGORITHM LEVEL COUNT CONCURRENCY");
        var algorithm = KeyAlgorithm.Parse(args.ElementAtOrDefault(2) ?? "ecdsa-p256");
        var level = (args.ElementAtOrDefault(3) ?? "B-B") switch
        {
            "B-B" => PadesLevel.BB,
            "B-T" => PadesLevel.BT,
            "B-LT" => PadesLevel.BLT,
            _ => PadesLevel.BLTA,
        };
        var count = int.Parse(args.ElementAtOrDefault(4) ?? "200", CultureInfo.InvariantCulture);
        var concurrency = int.Parse(args.ElementAtOrDefault(5) ?? "2", CultureInfo.InvariantCulture);
        var document = await ReadAsync(path);

        using var temp = new TempDirectory();
        using var host = await BenchCa.StartAsync(temp);
        var authority = host.Services.GetRequiredService<CertificateAuthority>();
        using var key = algorithm.Generate();
        var issued = await authority.IssueAsync("pejabat-signing", new SubjectInfo("Budi Santoso", "198503302010011002", "DISKOMINFO", "Kepala Dinas"),
            key.ExportSubjectPublicKeyInfo(), "bench");
        var hierarchy = host.Services.GetRequiredService<CaHierarchy>().Current;
        using var signingKey = new SoftwareSigningKey("bench", algorithm, key);
        var request = new PadesRequest(signingKey, [issued.Value!.Der, hierarchy.Issuing.Der, hierarchy.Root.Der], level, TimeProvider.System.GetUtcNow(),
            "Budi Santoso", "Penandatanganan naskah dinas", new StampPlacement(1, 320, 90, 220, 56),
            new StampContent(["Budi Santoso", "Kepala Dinas", "DISKOMINFO", "23-11-2026 10:00 WIB"], new Uri("https://sso.kota.go.id/verifikasi/0")));
        var signer = host.Services.GetRequiredService<PadesSigner>();
        var verifier = host.Services.GetRequiredService<DocumentVerifier>();

        // Note: every rate below is measured after a warm-up of the same operation (a server signs all day): tiered
        // compilation recompiles hot methods after a few dozen calls, on a background thread whose CPU time would count.
        // The limit: one SHA-256 pass over the document and one private-key operation per document.
        Task Limit(int worker)
        {
            var digest = SHA256.HashData(document);
            signingKey.SignData(digest);
            return Task.CompletedTask;
        }

        await WarmUpAsync(concurrency, Limit);
        var limit = await RateAsync(Math.Max(count, 50), concurrency, Limit);

        byte[] signed = [];
        await WarmUpAsync(concurrency, async _ => signed = await signer.SignAsync(document, request));

        // Note: each caller signs into its own output buffer, kept between documents, as a server writing the signed file
        // to a response or a file does; at B-B and B-T the signer writes the original bytes and its update one after the other.
        var outputs = Enumerable.Range(0, concurrency).Select(_ => new MemoryStream()).ToArray();
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var gcBefore = (GC.CollectionCount(0), GC.CollectionCount(2));
        var signing = await RateAsync(count, concurrency, async worker =>
        {
            var output = outputs[worker];
            output.SetLength(0);
            await signer.SignAsync(document, request, output);
        });
        var cpuMsPerSignature = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalMilliseconds / count;
        var gcDuringSigning = (GC.CollectionCount(0) - gcBefore.Item1, GC.CollectionCount(2) - gcBefore.Item2);
        var failures = 0;
        // The documents verified below are what the streamed signing wrote: the original bytes, then the update.
        signed = outputs[0].ToArray();
        if (signed.Length <= document.Length || !signed.AsSpan(0, document.Length).SequenceEqual(document))
        {
            throw new InvalidOperationException("the streamed signature does not extend the document");
        }

        async Task Verify(int worker)
        {
            if ((await verifier.VerifyPdfAsync(signed)).Indication != Indications.Passed)
            {
                Interlocked.Increment(ref failures);
            }
        }

        await WarmUpAsync(concurrency, Verify);
        failures = 0;
        var verifying = await RateAsync(count, concurrency, Verify);

        Console.WriteLine(JsonSerializer.Serialize(new
        {
            benchmark = "tte",
            document = Path.GetFileName(path),
            megabytes = Math.Round(document.Length / 1e6, 2),
            key = algorithm.Name,
            level = args.ElementAtOrDefault(3) ?? "B-B",
            count,
            concurrency,
            limitPerSecond = Math.Round(limit, 1),
            signedPerSecond = Math.Round(signing, 1),
            ofLimit = Math.Round(signing / limit, 2),
            cpuMsPerSignature = Math.Round(cpuMsPerSignature, 2),
            gen0Collections = gcDuringSigning.Item1,
            gen2Collections = gcDuringSigning.Item2,
            verifiedPerSecond = Math.Round(verifying, 1),
            verifyFailures = failures,
            peakRssMb = Process.GetCurrentProcess().PeakWorkingSet64 / (1024 * 1024),
        }));
        return failures == 0 ? 0 : 1;
    }

    private static async Task<byte[]> ReadAsync(string path)
    {
        if (!path.EndsWith(".gz", StringComparison.Ordinal))
        {
            return await File.ReadAllBytesAsync(path);
        }

        await using var input = File.OpenRead(path);
        await using var gzip = new GZipStream(input, CompressionMode.Decompress);
        using var output = new MemoryStream();
        await gzip.CopyToAsync(output);
        return output.ToArray();
    }

    /// <summary>Runs the operation for 3 s from one caller, then 2 s from all: with every core busy the JIT's background
    /// thread would wait to optimise the hot methods, and the measurement would catch them half-compiled.</summary>
    private static async Task WarmUpAsync(int concurrency, Func<int, Task> operation)
    {
        foreach (var (callers, seconds) in new[] { (1, 3), (concurrency, 2) })
        {
            var warmUp = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, callers).Select(worker => Task.Run(async () =>
            {
                while (warmUp.Elapsed < TimeSpan.FromSeconds(seconds))
                {
                    await operation(worker);
                }
            })));
        }
    }

    private static async Task<double> RateAsync(int count, int concurrency, Func<int, Task> operation)
    {
        var next = -1;
        var stopwatch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(worker => Task.Run(async () =>
        {
            while (Interlocked.Increment(ref next) < count)
            {
                await operation(worker);
            }
        })));
        return count / stopwatch.Elapsed.TotalSeconds;
    }
}
