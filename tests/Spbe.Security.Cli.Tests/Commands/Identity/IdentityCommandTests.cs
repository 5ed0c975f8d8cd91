using System.Text.Json;
using Spbe.Security.Testing;

namespace Spbe.Security.Cli.Commands.Identity;

public sealed class IdentityCommandTests : IDisposable
{
    private const string Password = "kata-sandi-awal-yang-panjang";
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private string DataPath => _temp.Combine("data");

    private Task<CliRun> AddUserAsync(string nip = "199001012015032002", string opd = "BAPPEDA", string password = Password, params string[] extra) =>
        CliRun.RunWithInputAsync(password + "\n",
            ["identity", "user", "add", "--data", DataPath, "--nip", nip, "--name", "Dewi Lestari", "--opd", opd, "--jabatan", "Analis Kebijakan", "--password-stdin", .. extra]);

    [Fact]
    public async Task User_add_creates_an_account_that_list_shows_and_never_prints_the_password()
    {
        var added = await AddUserAsync(extra: ["--role", "signer", "--role", "pki-officer", "--json"]);
        var listed = await CliRun.RunAsync("identity", "user", "list", "--data", DataPath, "--opd", "BAPPEDA", "--json");

        Assert.Equal(0, added.ExitCode);
        using var account = JsonDocument.Parse(added.Out);
        Assert.Equal("199001012015032002", account.RootElement.GetProperty("nip").GetString());
        Assert.Equal(0, listed.ExitCode);
        var row = Assert.Single(JsonDocument.Parse(listed.Out).RootElement.EnumerateArray());
        Assert.Equal("Analis Kebijakan", row.GetProperty("jabatan").GetString());
        Assert.Equal(["pki-officer", "signer"], row.GetProperty("roles").EnumerateArray().Select(r => r.GetString()).Order());
        Assert.DoesNotContain(Password, added.Out + added.Error + listed.Out + listed.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("19900101201503200", "BAPPEDA", Password, "IDN-0001")]
    [InlineData("199013012015032002", "BAPPEDA", Password, "IDN-0001")]
    [InlineData("199001012015033002", "BAPPEDA", Password, "IDN-0001")]
    [InlineData("199001012015032002", "KEMENDAGRI", Password, "IDN-0002")]
    [InlineData("199001012015032002", "BAPPEDA", "pendek", "IDN-0005")]
    public async Task User_add_refuses_bad_input_with_its_code(string nip, string opd, string password, string code)
    {
        var run = await AddUserAsync(nip, opd, password);

        Assert.Equal(ExitCodes.Failure, run.ExitCode);
        Assert.StartsWith($"spbe: {code}: ", run.Error, StringComparison.Ordinal);
        Assert.Empty(run.Out);
    }

    [Fact]
    public async Task User_add_refuses_a_second_account_with_the_same_nip()
    {
        await AddUserAsync();

        var again = await AddUserAsync();

        Assert.Equal(ExitCodes.Failure, again.ExitCode);
        Assert.StartsWith("spbe: IDN-0004: ", again.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task User_disable_marks_the_account_and_refuses_unknown_nips()
    {
        await AddUserAsync();

        var disabled = await CliRun.RunAsync("identity", "user", "disable", "--data", DataPath, "--nip", "199001012015032002");
        var unknown = await CliRun.RunAsync("identity", "user", "disable", "--data", DataPath, "--nip", "199001012015032003");
        var listed = await CliRun.RunAsync("identity", "user", "list", "--data", DataPath, "--json");

        Assert.Equal(0, disabled.ExitCode);
        Assert.True(JsonDocument.Parse(listed.Out).RootElement[0].GetProperty("disabled").GetBoolean());
        Assert.Equal(ExitCodes.Failure, unknown.ExitCode);
        Assert.StartsWith("spbe: IDN-0008: ", unknown.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Client_add_generates_a_secret_once_and_list_never_shows_it()
    {
        var added = await CliRun.RunAsync("identity", "client", "add", "--data", DataPath, "--client-id", "sipd-kota",
            "--grant", "authorization_code", "--grant", "refresh_token", "--redirect-uri", "https://sipd.kota.go.id/signin-oidc",
            "--scope", "profile", "--scope", "opd", "--json");
        var listed = await CliRun.RunAsync("identity", "client", "list", "--data", DataPath, "--json");

        Assert.Equal(0, added.ExitCode);
        using var created = JsonDocument.Parse(added.Out);
        var secret = created.RootElement.GetProperty("client_secret").GetString()!;
        Assert.True(secret.Length >= 40);
        var client = Assert.Single(JsonDocument.Parse(listed.Out).RootElement.EnumerateArray());
        Assert.Equal("confidential", client.GetProperty("client_type").GetString());
        Assert.Equal(["https://sipd.kota.go.id/signin-oidc"], client.GetProperty("redirect_uris").EnumerateArray().Select(u => u.GetString()));
        Assert.DoesNotContain(secret, listed.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Client_rotate_secret_prints_a_new_secret_once_and_remove_deletes_the_client()
    {
        var added = await CliRun.RunAsync("identity", "client", "add", "--data", DataPath, "--client-id", "sipd-kota",
            "--grant", "client_credentials", "--json");
        var rotated = await CliRun.RunAsync("identity", "client", "rotate-secret", "--data", DataPath, "--client-id", "sipd-kota", "--json");
        var unknown = await CliRun.RunAsync("identity", "client", "rotate-secret", "--data", DataPath, "--client-id", "tidak-ada");
        var removed = await CliRun.RunAsync("identity", "client", "remove", "--data", DataPath, "--client-id", "sipd-kota");
        var listed = await CliRun.RunAsync("identity", "client", "list", "--data", DataPath, "--json");

        Assert.Equal(0, rotated.ExitCode);
        var before = JsonDocument.Parse(added.Out).RootElement.GetProperty("client_secret").GetString();
        var after = JsonDocument.Parse(rotated.Out).RootElement.GetProperty("client_secret").GetString();
        Assert.NotEqual(before, after);
        Assert.Equal(ExitCodes.Failure, unknown.ExitCode);
        Assert.StartsWith("spbe: IDN-0010: ", unknown.Error, StringComparison.Ordinal);
        Assert.Equal(0, removed.ExitCode);
        Assert.Empty(JsonDocument.Parse(listed.Out).RootElement.EnumerateArray());
        var events = File.ReadAllLines(Path.Combine(DataPath, "events", "identity.jsonl")).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(["secret rotated", "removed"], events
            .Where(e => e.GetProperty("event").GetProperty("action").GetString() == "sso-client-changed")
            .Select(e => e.GetProperty("event").GetProperty("reason").GetString()));
        Assert.All(events.Where(e => e.GetProperty("event").GetProperty("action").GetString() == "sso-client-changed"),
            e => Assert.Equal("cli", e.GetProperty("source").GetProperty("user").GetProperty("name").GetString()));
        Assert.DoesNotContain(after!, string.Join('\n', File.ReadAllLines(Path.Combine(DataPath, "events", "identity.jsonl"))), StringComparison.Ordinal);
    }

    [Fact]
    public async Task User_reset_mfa_succeeds_for_an_account_and_refuses_unknown_nips()
    {
        await AddUserAsync();

        var reset = await CliRun.RunAsync("identity", "user", "reset-mfa", "--data", DataPath, "--nip", "199001012015032002");
        var unknown = await CliRun.RunAsync("identity", "user", "reset-mfa", "--data", DataPath, "--nip", "199001012015032003");

        Assert.Equal(0, reset.ExitCode);
        Assert.Equal(ExitCodes.Failure, unknown.ExitCode);
        Assert.StartsWith("spbe: IDN-0008: ", unknown.Error, StringComparison.Ordinal);
        Assert.Contains("\"sso-mfa-reset\"", File.ReadAllText(Path.Combine(DataPath, "events", "identity.jsonl")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Client_add_takes_a_secret_from_stdin_and_refuses_a_short_one()
    {
        var good = await CliRun.RunWithInputAsync("rahasia-yang-dipasok-operator-panjang-sekali\n", "identity", "client", "add", "--data", DataPath,
            "--client-id", "layanan-a", "--grant", "client_credentials", "--secret-stdin", "--json");
        var shortSecret = await CliRun.RunWithInputAsync("pendek\n", "identity", "client", "add", "--data", DataPath,
            "--client-id", "layanan-b", "--grant", "client_credentials", "--secret-stdin");

        Assert.Equal(0, good.ExitCode);
        Assert.Equal("{\"client_id\":\"layanan-a\"}", good.Out.Trim());
        Assert.Equal(ExitCodes.Failure, shortSecret.ExitCode);
        Assert.StartsWith("spbe: IDN-0006: ", shortSecret.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--public", "--secret-stdin")]
    public async Task Client_add_refuses_contradictory_options_as_a_usage_error(params string[] extra)
    {
        var run = await CliRun.RunAsync(["identity", "client", "add", "--data", DataPath, "--client-id", "x", "--grant", "authorization_code", .. extra]);

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
    }

    [Theory]
    [InlineData("implicit", "https://app.kota.go.id/cb")]
    [InlineData("authorization_code", "/relative")]
    [InlineData("authorization_code", "https://app.kota.go.id/cb#fragment")]
    public async Task Client_add_refuses_invalid_registrations(string grant, string redirectUri)
    {
        var run = await CliRun.RunAsync("identity", "client", "add", "--data", DataPath, "--client-id", "aplikasi", "--grant", grant, "--redirect-uri", redirectUri);

        Assert.Equal(ExitCodes.Failure, run.ExitCode);
        Assert.StartsWith("spbe: IDN-0006: ", run.Error, StringComparison.Ordinal);
    }
}
