using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Spbe.Security.Data;

namespace Spbe.Security.Identity.Events;

/// <summary>
/// Appends each event as one JSON object per line to <c>data/events/identity.jsonl</c>, with group commit: while one
/// write is in progress, further events queue up and the next write takes them all, so that a busy token endpoint
/// costs one file append per batch, not per event. <see cref="WriteAsync"/> returns once its line is written.
/// </summary>
internal sealed partial class JsonLinesSecurityEventSink(DataDirectory dataDirectory, ILogger<JsonLinesSecurityEventSink> logger) : ISecurityEventSink
{
    private readonly Lock _lock = new();
    private List<(byte[] Line, string Action, TaskCompletionSource Done)> _pending = [];
    private bool _writing;

    public string FilePath => Path.Combine(dataDirectory.Root, "events", "identity.jsonl");

    public async ValueTask WriteAsync(SecurityEvent securityEvent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(securityEvent);
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        bool lead;
        lock (_lock)
        {
            _pending.Add((Encoding.UTF8.GetBytes(Serialize(securityEvent) + "\n"), securityEvent.Action, done));
            lead = !_writing;
            _writing = true;
        }

        if (lead)
        {
            await WriteBatchesAsync();
        }

        // Note: not cancellable: an event that is about to be written is written (the contract is never to throw).
        await done.Task;
    }

    private async Task WriteBatchesAsync()
    {
        while (true)
        {
            List<(byte[] Line, string Action, TaskCompletionSource Done)> batch;
            lock (_lock)
            {
                if (_pending.Count == 0)
                {
                    _writing = false;
                    return;
                }

                (batch, _pending) = (_pending, []);
            }

            try
            {
                Directory.CreateDirectory(Path.GetDirectoryName(FilePath)!);
                await using var stream = new FileStream(FilePath, FileMode.Append, FileAccess.Write, FileShare.ReadWrite, 64 * 1024);
                foreach (var (line, _, _) in batch)
                {
                    await stream.WriteAsync(line);
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                LogWriteFailed(logger, ex, batch[0].Action);
            }

            foreach (var (_, _, done) in batch)
            {
                done.TrySetResult();
            }
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
