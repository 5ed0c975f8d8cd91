using System.Text.Json;
using Microsoft.Data.Sqlite;
using Spbe.Security.Testing;

namespace Spbe.Security.Cli.Commands.Signing;

/// <summary><c>spbe sign</c> and <c>spbe verify</c> as a pejabat's staff and anyone checking a letter use them.</summary>
public sealed class SignVerifyCommandTests : IDisposable
{
    private const string Nip = "199001012015032002";
    private const string Passphrase = "kata-sandi-tte-dewi-2026";
    private readonly TempDirectory _temp = new();

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _temp.Dispose();
    }

    private string DataPath => _temp.Combine("data");

    private static string Corpus(string name) => Path.Combine(RepositoryPaths.Shared, "data", "pdf", name);

    private async Task EnrolAsync()
    {
        Assert.Equal(0, (await CliRun.RunAsync("pki", "init", "--data", DataPath)).ExitCode);
        var added = await CliRun.RunWithInputAsync("kata-sandi-awal-yang-panjang\n",
            "identity", "user", "add", "--data", DataPath, "--nip", Nip, "--name", "Dewi Lestari", "--opd", "BAPPEDA", "--jabatan", "Sekretaris", "--password-stdin");
        Assert.Equal(0, added.ExitCode);
        var enrolled = await CliRun.RunWithInputAsync(Passphrase + "\n", "pki", "enroll", "--data", DataPath, "--nip", Nip, "--profile", "pejabat-signing",
            "--officer", "petugas-pki", "--passphrase-stdin");
        Assert.True(enrolled.ExitCode == 0, enrolled.Error);
    }

    [SharedDataFact]
    public async Task A_document_signed_on_its_anchor_verifies_and_a_changed_copy_does_not()
    {
        await EnrolAsync();
        var signedPath = _temp.Combine("signed.pdf");

        var signed = await CliRun.RunWithInputAsync(Passphrase + "\n", "sign", Corpus("lo-nota-dinas.pdf"), "-o", signedPath, "--signer", Nip,
            "--visible", "--anchor", "#ttd#", "--json", "--data", DataPath);
        Assert.True(signed.ExitCode == 0, signed.Error);
        Assert.Equal("B-LT", JsonDocument.Parse(signed.Out).RootElement.GetProperty("level").GetString());

        var verified = await CliRun.RunAsync("verify", signedPath, "--json", "--data", DataPath);
        Assert.True(verified.ExitCode == 0, verified.Out + verified.Error);
        var report = JsonDocument.Parse(verified.Out).RootElement;
        Assert.Equal("TOTAL-PASSED", report.GetProperty("indication").GetString());
        Assert.Equal(Nip, report.GetProperty("signatures")[0].GetProperty("signer").GetProperty("nip").GetString());

        var bytes = await File.ReadAllBytesAsync(signedPath);
        bytes[bytes.Length / 4] ^= 0x01;
        await File.WriteAllBytesAsync(signedPath, bytes);
        var changed = await CliRun.RunAsync("verify", signedPath, "--data", DataPath);
        Assert.Equal(1, changed.ExitCode);
        Assert.Contains("TOTAL-FAILED / HASH_FAILURE", changed.Out, StringComparison.Ordinal);

        // The signature and both verifications are security events for the SOC.
        var events = (await File.ReadAllLinesAsync(Path.Combine(DataPath, "events", "identity.jsonl"))).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("event")).ToList();
        var verifications = events.Where(e => e.GetProperty("action").GetString() == "tte-verify").Select(e => e.GetProperty("outcome").GetString()).ToList();
        Assert.Equal(["TOTAL-PASSED", "TOTAL-FAILED"], verifications);
        Assert.Contains(events, e => e.GetProperty("action").GetString() == "tte-sign" && e.GetProperty("outcome").GetString() == "success");
    }

    [Fact]
    public async Task Any_file_gets_a_detached_signature_that_verifies()
    {
        await EnrolAsync();
        var file = _temp.Combine("notulen.txt");
        await File.WriteAllTextAsync(file, "Notulen rapat koordinasi SPBE.\n");
        var p7s = _temp.Combine("notulen.txt.p7s");

        var signed = await CliRun.RunWithInputAsync(Passphrase + "\n", "sign", file, "-o", p7s, "--signer", Nip, "--detached", "--level", "B-T", "--data", DataPath);
        var verified = await CliRun.RunAsync("verify", file, "--signature", p7s, "--json", "--data", DataPath);

        Assert.True(signed.ExitCode == 0, signed.Error);
        Assert.True(verified.ExitCode == 0, verified.Out + verified.Error);
        Assert.Equal("B-T", JsonDocument.Parse(verified.Out).RootElement.GetProperty("signatures")[0].GetProperty("level").GetString());
    }

    [SharedDataFact]
    public async Task Wrong_passphrase_and_bad_options_get_their_codes()
    {
        await EnrolAsync();

        var wrong = await CliRun.RunWithInputAsync("bukan-kata-sandi-yang-benar\n", "sign", Corpus("lo-nota-dinas.pdf"), "-o", _temp.Combine("x.pdf"), "--signer", Nip, "--data", DataPath);
        var visibleWithoutPlace = await CliRun.RunWithInputAsync(Passphrase + "\n", "sign", Corpus("lo-nota-dinas.pdf"), "-o", _temp.Combine("x.pdf"), "--signer", Nip, "--visible", "--data", DataPath);
        var badLevel = await CliRun.RunWithInputAsync(Passphrase + "\n", "sign", Corpus("lo-nota-dinas.pdf"), "-o", _temp.Combine("x.pdf"), "--signer", Nip, "--level", "B-X", "--data", DataPath);

        Assert.Equal(1, wrong.ExitCode);
        Assert.Contains("PKI-0022", wrong.Error, StringComparison.Ordinal);
        var events = await File.ReadAllTextAsync(Path.Combine(DataPath, "events", "identity.jsonl"));
        Assert.Contains("\"tte-sign\"", events, StringComparison.Ordinal);
        Assert.Contains("PKI-0022", events, StringComparison.Ordinal);
        Assert.DoesNotContain("bukan-kata-sandi", events, StringComparison.Ordinal);
        Assert.Equal(2, visibleWithoutPlace.ExitCode);
        Assert.Contains("CLI-0002", visibleWithoutPlace.Error, StringComparison.Ordinal);
        Assert.Equal(2, badLevel.ExitCode);
        Assert.False(File.Exists(_temp.Combine("x.pdf")));
    }

    [SharedDataFact]
    public async Task An_unsigned_document_is_indeterminate()
    {
        Assert.Equal(0, (await CliRun.RunAsync("pki", "init", "--data", DataPath)).ExitCode);

        var verified = await CliRun.RunAsync("verify", Corpus("lo-nota-dinas.pdf"), "--data", DataPath);

        Assert.Equal(1, verified.ExitCode);
        Assert.Contains("INDETERMINATE / NO_SIGNATURE", verified.Out, StringComparison.Ordinal);
    }
}
