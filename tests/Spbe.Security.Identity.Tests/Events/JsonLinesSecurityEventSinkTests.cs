using System.Text.Json;
using FsCheck.Xunit;

namespace Spbe.Security.Identity.Events;

public sealed class JsonLinesSecurityEventSinkTests
{
    [Fact]
    public void Serialises_with_ecs_names_and_leaves_absent_fields_out()
    {
        var line = JsonLinesSecurityEventSink.Serialize(new SecurityEvent(
            new DateTimeOffset(2026, 11, 23, 10, 0, 0, TimeSpan.FromHours(7)), "sso-login", "failure", UserName: "198503302010011001", SourceIp: "10.1.2.3"));

        using var json = JsonDocument.Parse(line);
        Assert.Equal("2026-11-23T03:00:00.0000000Z", json.RootElement.GetProperty("@timestamp").GetString());
        Assert.Equal("sso-login", json.RootElement.GetProperty("event").GetProperty("action").GetString());
        Assert.Equal("198503302010011001", json.RootElement.GetProperty("user").GetProperty("name").GetString());
        Assert.Equal("10.1.2.3", json.RootElement.GetProperty("source").GetProperty("ip").GetString());
        Assert.False(json.RootElement.TryGetProperty("client", out _));
        Assert.False(json.RootElement.GetProperty("event").TryGetProperty("reason", out _));
    }

    [Property(MaxTest = 300)]
    public bool Any_user_input_stays_one_line_of_valid_json_and_round_trips(string userName)
    {
        var line = JsonLinesSecurityEventSink.Serialize(new SecurityEvent(DateTimeOffset.UnixEpoch, "sso-login", "failure", UserName: userName ?? string.Empty));
        using var json = JsonDocument.Parse(line);
        return !line.Contains('\n', StringComparison.Ordinal)
            && json.RootElement.GetProperty("user").GetProperty("name").GetString() == (userName ?? string.Empty);
    }
}
