using System.Globalization;
using System.Text;
using System.Security.Cryptography.X509Certificates;
using Spbe.Security.Pki.Authority;
using Spbe.Security.Pki.Keys;
using Spbe.Security.Testing;

namespace Spbe.Security.Pki.Signing;

/// <summary>A signer with a key and a certificate from the test CA.</summary>
internal sealed class TestSigner : IDisposable
{
    public required ISigningKey Key { get; init; }

    public required IReadOnlyList<byte[]> Chain { get; init; }

    public required string Name { get; init; }

    public required string Serial { get; init; }

    public void Dispose() => Key.Dispose();
}

/// <summary>Shared steps of the signing tests: signers from the test CA, requests, the corpus and the oracle script.</summary>
internal static class SigningKit
{
    public static string Corpus(string name) => Path.Combine(RepositoryPaths.Shared, "data", "pdf", name);

    public static string Oracle => Path.Combine(RepositoryPaths.Shared, "tools", "pdf-signature-oracles.sh");

    public static async Task<TestSigner> IssueAsync(PkiTestCa ca, string name, string nip, KeyAlgorithm algorithm)
    {
        var key = algorithm.Generate();
        var issued = await ca.Authority.IssueAsync("pejabat-signing", new SubjectInfo(name, nip, "DISKOMINFO", "Kepala Dinas"), key.ExportSubjectPublicKeyInfo(), "test");
        Assert.True(issued.Success, issued.Error);
        var chain = new[] { issued.Value!.Der }.Concat(new[] { "issuing", "root" }.Select(c => X509Certificate2.CreateFromPem(File.ReadAllText(Path.Combine(ca.PkiFolder, c + ".crt"))).RawData)).ToList();
        return new TestSigner { Key = new SoftwareSigningKey("signer", algorithm, key), Chain = chain, Name = name, Serial = issued.Value.Serial };
    }

    public static PadesRequest Request(TestSigner signer, PadesLevel level, StampPlacement? placement = null, DateTimeOffset? at = null) => new(signer.Key, signer.Chain, level,
        at ?? TimeProvider.System.GetUtcNow(), signer.Name, placement is null ? "Paraf" : "Penandatanganan naskah dinas", placement,
        placement is null ? null : new StampContent([signer.Name, "Kepala Dinas", "DISKOMINFO", "2026-11-23 10:00 WIB"], new Uri("https://sso.kota.go.id/verifikasi/abc")));

    /// <summary>A small but complete PDF (catalog, page tree, page, content stream, xref table) built here.</summary>
    public static byte[] MinimalPdf()
    {
        var objects = new[]
        {
            "<</Type/Catalog/Pages 2 0 R>>",
            "<</Type/Pages/Kids[3 0 R]/Count 1/MediaBox[0 0 595 842]>>",
            "<</Type/Page/Parent 2 0 R/Contents 4 0 R/Resources<<>>>>",
            "<</Length 44>>\nstream\nBT /F1 12 Tf 72 720 Td (#ttd# \\(tes\\)) Tj ET\nendstream",
        };
        var text = new StringBuilder("%PDF-1.7\n");
        var offsets = new List<int>();
        for (var i = 0; i < objects.Length; i++)
        {
            offsets.Add(Encoding.Latin1.GetByteCount(text.ToString()));
            text.Append(CultureInfo.InvariantCulture, $"{i + 1} 0 obj\n{objects[i]}\nendobj\n");
        }

        var xref = Encoding.Latin1.GetByteCount(text.ToString());
        text.Append(CultureInfo.InvariantCulture, $"xref\n0 {objects.Length + 1}\n0000000000 65535 f \n");
        foreach (var offset in offsets)
        {
            text.Append(CultureInfo.InvariantCulture, $"{offset:D10} 00000 n \n");
        }

        text.Append(CultureInfo.InvariantCulture, $"trailer\n<</Size {objects.Length + 1}/Root 1 0 R>>\nstartxref\n{xref}\n%%EOF\n");
        return Encoding.Latin1.GetBytes(text.ToString());
    }

    public static Task<ToolRun> JudgeAsync(PkiTestCa ca, string pdf, params string[] extra) =>
        ExternalTool.RunAsync("bash", [Oracle, "--trust", Path.Combine(ca.PkiFolder, "root.crt"), .. extra, pdf], ca.Work);
}
