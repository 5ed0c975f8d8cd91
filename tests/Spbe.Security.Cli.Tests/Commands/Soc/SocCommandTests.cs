using System.Text;
using System.Text.Json;
using Spbe.Security.Soc.Ingest;
using Spbe.Security.Soc.Parsing;
using Spbe.Security.Soc.Store;
using Spbe.Security.Testing;

namespace Spbe.Security.Cli.Commands.Soc;

/// <summary><c>spbe soc count</c> and <c>spbe soc events</c> over a data directory's event store.</summary>
public sealed class SocCommandTests : IDisposable
{
    private static readonly TimeZoneInfo Wib = TimeZoneInfo.FindSystemTimeZoneById("Asia/Jakarta");
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private string Data => _temp.Combine("data");

    private async Task SeedAsync()
    {
        Assert.Equal(0, (await CliRun.RunAsync("init", "--data", Data)).ExitCode);
        var now = TimeProvider.System.GetUtcNow();
        using var store = new SqliteEventStore(Path.Combine(Data, "soc"), Wib);
        var lines = new (string Text, string Opd)[]
        {
            ("<38>Nov 24 08:00:00 web01 sshd[1]: Failed password for root from 10.9.9.9", "DINKES"),
            ("<38>Nov 24 08:00:01 web01 sshd[1]: Accepted password for budi", "DINKES"),
            ("<38>Nov 24 08:00:02 app02 nginx: GET /\u001b[31mmerah\u001b[0m 404", "BAPENDA"),
        };
        store.Write([.. lines.Select((l, i) => EventNormalizer.Normalize(
            new IngestRecord(now.AddMinutes(i - 10).ToUnixTimeMilliseconds(), IngestTransport.Udp, IngestFlags.None, "10.0.0.1",
                new SourceIdentity("uji", l.Opd), Encoding.UTF8.GetBytes(l.Text))
            { Sequence = i + 1 }, Wib))]);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }

    [Fact]
    public async Task Count_json_counts_all_stored_events_or_those_matching()
    {
        await SeedAsync();
        var all = await CliRun.RunAsync("soc", "count", "--json", "--data", Data);
        Assert.Equal(0, all.ExitCode);
        Assert.Equal(3, JsonDocument.Parse(all.Out).RootElement.GetProperty("count").GetInt64());
        var dinkes = await CliRun.RunAsync("soc", "count", "--opd", "DINKES", "--q", "password", "--data", Data);
        Assert.Equal("2", dinkes.Out.Trim());
    }

    [Fact]
    public async Task Events_filters_prints_json_and_escapes_control_characters_in_text()
    {
        await SeedAsync();
        var json = await CliRun.RunAsync("soc", "events", "--since", "1h", "--opd", "DINKES", "--q", "failed", "--json", "--data", Data);
        Assert.Equal(0, json.ExitCode);
        var events = JsonDocument.Parse(json.Out).RootElement.GetProperty("events");
        Assert.Equal("sshd", events.EnumerateArray().Single().GetProperty("process").GetProperty("name").GetString());

        var text = await CliRun.RunAsync("soc", "events", "--opd", "BAPENDA", "--data", Data);
        Assert.Contains("\\x1b[31mmerah", text.Out, StringComparison.Ordinal);
        Assert.DoesNotContain('\u001b', text.Out);

        var bad = await CliRun.RunAsync("soc", "events", "--since", "kemarin", "--data", Data);
        Assert.NotEqual(0, bad.ExitCode);
        Assert.Contains("SOC-0301", bad.Error, StringComparison.Ordinal);
    }
}
