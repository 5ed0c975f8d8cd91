using System.Text.Json;
using Microsoft.Data.Sqlite;
using Spbe.Security.Testing;

namespace Spbe.Security.Cli.Commands.Pki;

/// <summary><c>spbe pki</c> as an operator uses it: init, status, issue, revoke, release, crl, audit verify.</summary>
public sealed class PkiCommandTests : IDisposable
{
    private const string Nip = "199001012015032002";
    private readonly TempDirectory _temp = new();

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _temp.Dispose();
    }

    private string DataPath => _temp.Combine("data");

    private async Task<string> CsrAsync(string subject)
    {
        var key = _temp.Combine("k.pem");
        var csr = _temp.Combine("r.csr");
        Assert.Equal(0, (await ExternalTool.OpenSslAsync(_temp.Path, "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", key)).ExitCode);
        Assert.Equal(0, (await ExternalTool.OpenSslAsync(_temp.Path, "req", "-new", "-key", key, "-subj", subject, "-out", csr)).ExitCode);
        return csr;
    }

    private async Task<string> IssueAsync()
    {
        Assert.Equal(0, (await CliRun.RunAsync("pki", "init", "--data", DataPath)).ExitCode);
        var added = await CliRun.RunWithInputAsync("kata-sandi-awal-yang-panjang\n",
            "identity", "user", "add", "--data", DataPath, "--nip", Nip, "--name", "Dewi Lestari", "--opd", "BAPPEDA", "--jabatan", "Sekretaris", "--password-stdin");
        Assert.Equal(0, added.ExitCode);
        var issued = await CliRun.RunAsync("pki", "issue", "--data", DataPath, "--profile", "pejabat-signing", "--csr", await CsrAsync("/CN=Dewi Lestari"), "--nip", Nip, "--json");
        Assert.True(issued.ExitCode == 0, issued.Error);
        return JsonDocument.Parse(issued.Out).RootElement.GetProperty("serial").GetString()!;
    }

    [Fact]
    public async Task Init_and_status_describe_the_hierarchy_in_the_documented_shape()
    {
        var init = await CliRun.RunAsync("pki", "init", "--data", DataPath);
        var again = await CliRun.RunAsync("pki", "init", "--data", DataPath, "--json");
        var status = await CliRun.RunAsync("pki", "status", "--data", DataPath, "--json");

        Assert.Equal(0, init.ExitCode);
        Assert.Contains("created  root CA", init.Out, StringComparison.Ordinal);
        Assert.All(JsonDocument.Parse(again.Out).RootElement.GetProperty("steps").EnumerateArray(), s => Assert.Equal("kept", s.GetProperty("action").GetString()));
        var cas = JsonDocument.Parse(status.Out).RootElement.GetProperty("cas").EnumerateArray().ToList();
        Assert.Equal(["root", "issuing"], cas.Select(c => c.GetProperty("role").GetString()));
        Assert.All(cas, c => Assert.Equal("file", c.GetProperty("keyStore").GetString()));
        Assert.Contains("Issuing CA", cas[1].GetProperty("subject").GetString(), StringComparison.Ordinal);
        Assert.True(cas[1].TryGetProperty("name", out _));
    }

    [Fact]
    public async Task Issue_revoke_release_and_audit_work_from_the_command_line()
    {
        var serial = await IssueAsync();

        var held = await CliRun.RunAsync("pki", "revoke", "--data", DataPath, "--serial", serial, "--reason", "certificateHold", "--json");
        var released = await CliRun.RunAsync("pki", "release", "--data", DataPath, "--serial", serial);
        var revoked = await CliRun.RunAsync("pki", "revoke", "--data", DataPath, "--serial", serial.ToUpperInvariant(), "--reason", "affiliationChanged");
        var status = await CliRun.RunAsync("pki", "status", "--data", DataPath, "--serial", serial, "--json");
        var crl = await CliRun.RunAsync("pki", "crl", "--data", DataPath, "--json");
        var audit = await CliRun.RunAsync("pki", "audit", "verify", "--data", DataPath, "--json");
        var listed = await CliRun.RunAsync("pki", "certificates", "--data", DataPath, "--opd", "BAPPEDA", "--json");
        var otherOpd = await CliRun.RunAsync("pki", "certificates", "--data", DataPath, "--opd", "DISKOMINFO", "--json");
        var text = await CliRun.RunAsync("pki", "certificates", "--data", DataPath, "--state", "revoked");

        Assert.Equal("onhold", JsonDocument.Parse(held.Out).RootElement.GetProperty("state").GetString());
        Assert.Contains("good", released.Out, StringComparison.Ordinal);
        Assert.Contains("revoked (affiliationChanged)", revoked.Out, StringComparison.Ordinal);
        Assert.Equal("affiliationChanged", JsonDocument.Parse(status.Out).RootElement.GetProperty("reason").GetString());
        Assert.Equal(1, JsonDocument.Parse(crl.Out).RootElement.GetProperty("entries").GetInt32());
        Assert.True(JsonDocument.Parse(audit.Out).RootElement.GetProperty("valid").GetBoolean(), audit.Out);
        var row = Assert.Single(JsonDocument.Parse(listed.Out).RootElement.EnumerateArray());
        Assert.Equal(serial, row.GetProperty("serial").GetString());
        Assert.Equal("revoked", row.GetProperty("state").GetString());
        Assert.Equal(Nip, row.GetProperty("nip").GetString());
        Assert.Empty(JsonDocument.Parse(otherOpd.Out).RootElement.EnumerateArray());
        Assert.Contains("BAPPEDA: 1 (0 good)", text.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--reason", "becauseISaidSo", "PKI-0010")]
    [InlineData("--reason", "removeFromCRL", "PKI-0010")]
    [InlineData("--serial", "not-hex", "PKI-0017")]
    [InlineData("--serial", "abcdef", "PKI-0008")]
    public async Task Revoke_refuses_bad_input_with_its_code(string option, string value, string code)
    {
        var serial = await IssueAsync();
        string[] args = ["pki", "revoke", "--data", DataPath, "--serial", serial, "--reason", "keyCompromise"];
        args[Array.IndexOf(args, option) + 1] = value;

        var run = await CliRun.RunAsync(args);

        Assert.Equal(ExitCodes.Failure, run.ExitCode);
        Assert.StartsWith($"spbe: {code}: ", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Issue_refuses_a_request_for_someone_else_and_commands_before_init_say_so()
    {
        var before = await CliRun.RunAsync("pki", "status", "--data", DataPath);
        await IssueAsync();

        var other = await CliRun.RunAsync("pki", "issue", "--data", DataPath, "--profile", "pejabat-signing", "--csr", await CsrAsync("/CN=Orang Lain"), "--nip", Nip);
        var unknown = await CliRun.RunAsync("pki", "issue", "--data", DataPath, "--profile", "pejabat-signing", "--csr", await CsrAsync("/CN=X"), "--nip", "199001012015032003");

        Assert.StartsWith("spbe: PKI-0001: ", before.Error, StringComparison.Ordinal);
        Assert.StartsWith("spbe: PKI-0007: ", other.Error, StringComparison.Ordinal);
        Assert.StartsWith("spbe: PKI-0016: ", unknown.Error, StringComparison.Ordinal);
        Assert.Empty(other.Out);
    }

    [Fact]
    public async Task Request_approve_and_enroll_follow_the_registration_workflow()
    {
        await IssueAsync();
        const string Officer = "197001011995031001";

        var requested = await CliRun.RunAsync("pki", "request", "--data", DataPath, "--profile", "pejabat-signing", "--nip", Nip, "--csr", await CsrAsync("/CN=Dewi Lestari"), "--json");
        var id = JsonDocument.Parse(requested.Out).RootElement.GetProperty("id").GetString()!;
        var pending = await CliRun.RunAsync("pki", "requests", "--data", DataPath, "--state", "pending", "--json");
        var self = await CliRun.RunAsync("pki", "approve", "--data", DataPath, "--id", id, "--officer", Nip);
        var approved = await CliRun.RunAsync("pki", "approve", "--data", DataPath, "--id", id, "--officer", Officer, "--json");
        var enrolled = await CliRun.RunWithInputAsync("frasa sandi pejabat yang panjang\n", "pki", "enroll", "--data", DataPath, "--nip", Nip, "--profile", "pejabat-signing",
            "--officer", Officer, "--passphrase-stdin", "--json");
        var badState = await CliRun.RunAsync("pki", "requests", "--data", DataPath, "--state", "lost");

        Assert.True(requested.ExitCode == 0, requested.Error);
        Assert.Equal(id, Assert.Single(JsonDocument.Parse(pending.Out).RootElement.EnumerateArray()).GetProperty("id").GetString());
        Assert.StartsWith("spbe: PKI-0020: ", self.Error, StringComparison.Ordinal);
        Assert.True(approved.ExitCode == 0, approved.Error);
        Assert.StartsWith("-----BEGIN CERTIFICATE-----", JsonDocument.Parse(approved.Out).RootElement.GetProperty("pem").GetString(), StringComparison.Ordinal);
        Assert.True(enrolled.ExitCode == 0, enrolled.Error);
        Assert.DoesNotContain("frasa sandi", enrolled.Out + enrolled.Error, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Usage, badState.ExitCode);
    }

    [Fact]
    public async Task The_root_key_goes_offline_only_with_a_checked_backup_and_comes_back()
    {
        await IssueAsync();
        const string Passphrase = "frasa sandi kunci root yang panjang";
        var backup = _temp.Combine("root-key.pem");
        var sealedKey = Path.Combine(DataPath, "keys", "pki", "root.sealed");

        var exported = await CliRun.RunWithInputAsync(Passphrase + "\n", "pki", "root", "export", "--data", DataPath, "--out", backup, "--passphrase-stdin");
        var openssl = await ExternalTool.OpenSslAsync(_temp.Path, "pkey", "-in", backup, "-passin", "pass:" + Passphrase, "-noout");
        var wrong = await CliRun.RunWithInputAsync("bukan frasa sandinya sama sekali\n", "pki", "root", "remove", "--data", DataPath, "--backup", backup, "--passphrase-stdin");
        var stillThere = File.Exists(sealedKey);
        var removed = await CliRun.RunWithInputAsync(Passphrase + "\n", "pki", "root", "remove", "--data", DataPath, "--backup", backup, "--passphrase-stdin");
        var offline = JsonDocument.Parse((await CliRun.RunAsync("pki", "status", "--data", DataPath, "--json")).Out).RootElement.GetProperty("cas")[0];
        var issuedOffline = await CliRun.RunAsync("pki", "issue", "--data", DataPath, "--profile", "pejabat-signing", "--csr", await CsrAsync("/CN=Dewi Lestari"), "--nip", Nip, "--json");
        var imported = await CliRun.RunWithInputAsync(Passphrase + "\n", "pki", "root", "import", "--data", DataPath, "--backup", backup, "--passphrase-stdin");

        Assert.True(exported.ExitCode == 0, exported.Error);
        Assert.DoesNotContain("PRIVATE KEY", exported.Out, StringComparison.Ordinal);
        Assert.StartsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----", File.ReadAllText(backup), StringComparison.Ordinal);
        Assert.True(openssl.ExitCode == 0, openssl.ToString());
        Assert.StartsWith("spbe: PKI-0022: ", wrong.Error, StringComparison.Ordinal);
        Assert.True(stillThere);
        Assert.True(removed.ExitCode == 0, removed.Error);
        Assert.False(offline.GetProperty("keyOnline").GetBoolean());
        Assert.True(issuedOffline.ExitCode == 0, issuedOffline.Error);
        Assert.True(imported.ExitCode == 0, imported.Error);
        Assert.True(File.Exists(sealedKey));
        Assert.True(JsonDocument.Parse((await CliRun.RunAsync("pki", "audit", "verify", "--data", DataPath, "--json")).Out).RootElement.GetProperty("valid").GetBoolean());
    }
}
