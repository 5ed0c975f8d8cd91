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

    public static Task<ToolRun> JudgeAsync(PkiTestCa ca, string pdf, params string[] extra) =>
        ExternalTool.RunAsync("bash", [Oracle, "--trust", Path.Combine(ca.PkiFolder, "root.crt"), .. extra, pdf], ca.Work);
}
