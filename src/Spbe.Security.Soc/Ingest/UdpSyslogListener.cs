using System.Net;
using System.Net.Sockets;

namespace Spbe.Security.Soc.Ingest;

/// <summary>Syslog over UDP (RFC 5426): one message per datagram. UDP cannot slow a sender down, so when the pipeline is
/// full datagrams are dropped and counted (<c>spbe_soc_dropped{reason="queue_full"}</c>).</summary>
internal sealed class UdpSyslogListener(IngestContext context, IPEndPoint endpoint) : IDisposable
{
    private const int MaxBatch = 256;

    private readonly Socket _socket = Bind(endpoint);

    public IPEndPoint LocalEndpoint => (IPEndPoint)_socket.LocalEndPoint!;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var buffer = new byte[65_536];
        var any = new IPEndPoint(endpoint.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
        var batch = new List<IngestRecord>();
        while (!cancellationToken.IsCancellationRequested)
        {
            SocketReceiveFromResult received;
            try
            {
                received = await _socket.ReceiveFromAsync(buffer, SocketFlags.None, any, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
            catch (SocketException)
            {
                // Note: an ICMP port-unreachable for an earlier datagram surfaces here on some systems; keep receiving.
                continue;
            }

            var peer = InterNetwork(received.RemoteEndPoint);
            var (source, flags) = context.Attribute(peer);
            var length = received.ReceivedBytes;
            var message = buffer.AsSpan(0, length);
            while (message.Length > 0 && message[^1] is (byte)'\n' or (byte)'\r' or 0)
            {
                message = message[..^1];
            }

            if (message.Length > context.Options.MaxMessageBytes)
            {
                message = message[..context.Options.MaxMessageBytes];
                flags |= IngestFlags.Truncated;
            }

            batch.Add(new IngestRecord(context.NowUnixMs, IngestTransport.Udp, flags, peer.ToString(), source, message.ToArray()));
            if (batch.Count >= MaxBatch || _socket.Available == 0)
            {
                context.Pipeline.TrySubmit(batch);
                batch = [];
            }
        }
    }

    public void Dispose() => _socket.Dispose();

    private static IPAddress InterNetwork(EndPoint endpoint) => IngestContext.Canonical(((IPEndPoint)endpoint).Address);

    private static Socket Bind(IPEndPoint endpoint)
    {
        var socket = new Socket(endpoint.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            // Note: a larger receive buffer rides out bursts while the pipeline catches up (the kernel caps it).
            socket.ReceiveBufferSize = 8 * 1024 * 1024;
            socket.Bind(endpoint);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
