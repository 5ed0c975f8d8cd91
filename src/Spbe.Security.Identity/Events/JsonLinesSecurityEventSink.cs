using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Spbe.Security.Data;

namespace Spbe.Security.Identity.Events;

/// <summary>Appends each event as one JSON object per line to <c>data/events/identity.jsonl</c>.</summary>
internal sealed partial class JsonLinesSecurityEventSink(DataDirectory dataDirectory, ILogger<JsonLinesSecurityEventSink> logger) : ISecurityEventSink
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    public string FilePath => Path.Combine(dataDirectory.Root, "events", "identity.jsonl");

    public async ValueTask WriteAsync(SecurityEvent securityEvent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(securityEvent);
        var line = Encoding.UTF8.GetBytes(Serialize(securityEvent) + "\n");
        await _gate.WaitAsync(cancellationToken);
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(FilePath)!);
            await using var stream = new FileStream(FilePath, FileMode.Append, FileAccess.Write, FileShare.ReadWrite);
            await stream.WriteAsync(line, cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            LogWriteFailed(logger, ex, securityEvent.Action);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The ECS-style JSON form of an event (nested objects, absent fields left out).</summary>
    internal static string Serialize(SecurityEvent e)
    {
        var document = new Dictionary<string, object>
        {
            ["@timestamp"] = e.Timestamp.UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
            ["event"] = Without(new Dictionary<string, object?>
            {
                ["kind"] = "event",
                ["category"] = new[] { e.Actor is null ? "authentication" : "iam" },
                ["module"] = "spbe-identity",
                ["action"] = e.Action,
                ["outcome"] = e.Outcome,
                ["reason"] = e.Reason,
            }),
        };
        if (e.UserName is not null)
        {
            document["user"] = new { name = e.UserName };
        }

        if (e.SourceIp is not null || e.Actor is not null)
        {
            // Note: for administrative changes user.name is the account changed and source.user.name who changed it.
            document["source"] = Without(new Dictionary<string, object?>
            {
                ["ip"] = e.SourceIp,
                ["user"] = e.Actor is null ? null : new { name = e.Actor },
            });
        }

        if (e.ClientId is not null)
        {
            document["client"] = new { id = e.ClientId };
        }

        if (e.Opd is not null)
        {
            document["organization"] = new { id = e.Opd };
        }

        return JsonSerializer.Serialize(document);
    }

    private static Dictionary<string, object> Without(Dictionary<string, object?> values) =>
        values.Where(v => v.Value is not null).ToDictionary(v => v.Key, v => v.Value!);

    [LoggerMessage(EventId = 1101, Level = LogLevel.Error, Message = "Security event {Action} could not be written to the events file")]
    private static partial void LogWriteFailed(ILogger logger, Exception exception, string action);
}
