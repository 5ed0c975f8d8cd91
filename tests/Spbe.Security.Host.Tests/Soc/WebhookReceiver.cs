using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace Spbe.Security.Host.Soc;

/// <summary>A webhook receiver on 127.0.0.1 (HttpListener) that keeps every delivery with its signature headers.</summary>
internal sealed class WebhookReceiver : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly List<Delivery> _received = [];
    private readonly Task _serve;

    public WebhookReceiver()
    {
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

    public string Url { get; }

    /// <summary>Waits (up to 30 s) for <paramref name="count"/> deliveries and returns them all.</summary>
    public async Task<IReadOnlyList<Delivery>> WaitAsync(int count)
    {
        var deadline = TimeProvider.System.GetUtcNow().AddSeconds(30);
        while (true)
        {
            lock (_received)
            {
                if (_received.Count >= count || TimeProvider.System.GetUtcNow() > deadline)
                {
                    return [.. _received];
                }
            }

            await Task.Delay(50);
        }
    }

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        _serve.Wait(TimeSpan.FromSeconds(5));
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
            lock (_received)
            {
                _received.Add(new Delivery(body, JsonDocument.Parse(body), context.Request.Headers["X-Spbe-Timestamp"] ?? "", context.Request.Headers["X-Spbe-Signature"] ?? ""));
            }

            context.Response.StatusCode = 204;
            context.Response.Close();
        }
    }

    /// <summary>One delivery.</summary>
    public sealed record Delivery(byte[] Body, JsonDocument Json, string Timestamp, string Signature);
}
