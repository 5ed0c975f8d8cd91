using System.Text;
using System.Threading.Channels;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Spbe.Security.Data;

namespace Spbe.Security.Identity.Events;

/// <summary>
/// Appends each event as one JSON object per line to <c>data/events/identity.jsonl</c>, with group commit: events
/// queue for one writer, which appends everything queued in one go, so that a busy token endpoint costs one file
/// append per batch, not per event. <see cref="WriteAsync"/> returns once its line is written.
/// </summary>
internal sealed partial class JsonLinesSecurityEventSink : ISecurityEventSink, IDisposable
{
    private readonly DataDirectory _dataDirectory;
    private readonly ILogger<JsonLinesSecurityEventSink> _logger;
    private readonly Channel<(byte[] Line, string Action, TaskCompletionSource Done)> _queue =
        Channel.CreateUnbounded<(byte[] Line, string Action, TaskCompletionSource Done)>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _writer;

    public JsonLinesSecurityEventSink(DataDirectory dataDirectory, ILogger<JsonLinesSecurityEventSink> logger)
    {
        _dataDirectory = dataDirectory;
        _logger = logger;
        _writer = Task.Run(WriteLoopAsync);
    }

    public string FilePath => Path.Combine(_dataDirectory.Root, "events", "identity.jsonl");

    public async ValueTask WriteAsync(SecurityEvent securityEvent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(securityEvent);
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_queue.Writer.TryWrite((Encoding.UTF8.GetBytes(Serialize(securityEvent) + "\n"), securityEvent.Action, done)))
        {
            LogWriteFailed(_logger, new ObjectDisposedException(nameof(JsonLinesSecurityEventSink)), securityEvent.Action);
            return;
        }

        // Note: not cancellable: an event that is about to be written is written (the contract is never to throw).
        await done.Task;
    }

    /// <summary>Writes what is queued and stops the writer.</summary>
    public void Dispose()
    {
        _queue.Writer.TryComplete();
        _writer.GetAwaiter().GetResult();
    }

    private async Task WriteLoopAsync()
    {
        var batch = new List<(byte[] Line, string Action, TaskCompletionSource Done)>();
        while (await _queue.Reader.WaitToReadAsync())
        {
            while (batch.Count < 10_000 && _queue.Reader.TryRead(out var item))
            {
                batch.Add(item);
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
            catch (Exception ex)
            {
                // Note: whatever went wrong, the writer keeps going and nobody waits forever.
                LogWriteFailed(_logger, ex, batch[0].Action);
            }
            finally
            {
                foreach (var (_, _, done) in batch)
                {
                    done.TrySetResult();
                }

                batch.Clear();
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
