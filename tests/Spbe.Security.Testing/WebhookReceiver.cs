using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace Spbe.Security.Testing;

/// <summary>
/// A webhook receiver on 127.0.0.1 (HttpListener) that keeps every delivery with its headers and answers 204, or 503 to
/// the first <c>failFirst</c> deliveries (a receiver that is restarting). Waiting is on the deliveries themselves.
/// </summary>
public sealed class WebhookReceiver : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly List<Delivery> _received = [];
    private readonly SemaphoreSlim _arrived = new(0);
    private readonly Task _serve;
    private int _failures;

    /// <summary>Starts listening on a free port.</summary>
    public WebhookReceiver(int failFirst = 0)
    {
        _failures = failFirst;
        int port;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        Url = $"http://127.0.0.1:{port}/csirt-hook/";
        _listener.Prefixes.Add(Url);
        _listener.Start();
        _serve = Task.Run(ServeAsync);
    }

    /// <summary>The address to configure.</summary>
    public string Url { get; }

    /// <summary>Waits (up to 30 s) until <paramref name="count"/> deliveries have arrived and returns them all.</summary>
    public async Task<IReadOnlyList<Delivery>> WaitAsync(int count)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            while (Count < count)
            {
                await _arrived.WaitAsync(timeout.Token);
            }
        }
        catch (OperationCanceledException)
        {
            // Note: the caller's assertions say what is missing.
        }

        lock (_received)
        {
            return [.. _received];
        }
    }

    private int Count
    {
        get
        {
            lock (_received)
            {
                return _received.Count;
            }
        }
    }

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        _serve.Wait(TimeSpan.FromSeconds(5));
        _arrived.Dispose();
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            using var buffer = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(buffer);
            var body = buffer.ToArray();
            var headers = context.Request.Headers;
            lock (_received)
            {
                _received.Add(new Delivery(body, JsonDocument.Parse(body), headers["X-Spbe-Timestamp"] ?? "", headers["X-Spbe-Signature"] ?? "",
                    headers["X-Spbe-Delivery"] ?? "", headers["X-Spbe-Event"] ?? ""));
            }

            context.Response.StatusCode = Interlocked.Decrement(ref _failures) >= 0 ? 503 : 204;
            context.Response.Close();
            _arrived.Release();
        }
    }

    /// <summary>One delivery: the body, parsed, and the signature, delivery id and event type headers.</summary>
    public sealed record Delivery(byte[] Body, JsonDocument Json, string Timestamp, string Signature, string Id, string Type);
}
