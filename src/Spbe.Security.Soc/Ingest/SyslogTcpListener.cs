using System.Buffers;
using System.Net;

namespace Spbe.Security.Soc.Ingest;

/// <summary>Syslog over TCP (RFC 6587) and over TLS (RFC 5425, same framing inside TLS). Nothing is acknowledged in
/// these protocols, so a batch is handed on as soon as it is queued; when the pipeline is full the read waits, TCP's
/// window closes, and the sender slows down.</summary>
internal sealed class SyslogTcpListener(IngestContext context, IPEndPoint endpoint, ISyslogTlsCredentials? tls)
    : TcpIngestListener(context, endpoint, tls)
{
    protected override IngestTransport Transport => IsTls ? IngestTransport.Tls : IngestTransport.Tcp;

    protected override async Task ServeAsync(Stream stream, IPAddress peer, SourceIdentity source, IngestFlags sourceFlags, CancellationToken cancellationToken)
    {
        var framer = new SyslogFramer(Context.Options.MaxMessageBytes);
        var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        var peerText = peer.ToString();
        var transport = Transport;
        try
        {
            using var idle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            while (true)
            {
                var read = await ReadAsync(stream, buffer, idle);
                var records = new List<IngestRecord>();
                var now = Context.NowUnixMs;
                void Add(ReadOnlySpan<byte> message, IngestFlags flags) =>
                    records.Add(new IngestRecord(now, transport, flags | sourceFlags, peerText, source, message.ToArray()));
                if (read == 0)
                {
                    framer.Complete(Add);
                    await Context.Pipeline.SubmitAsync(records, durable: false, cancellationToken);
                    return;
                }

                framer.Push(buffer.AsSpan(0, read), Add);
                await Context.Pipeline.SubmitAsync(records, durable: false, cancellationToken);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
