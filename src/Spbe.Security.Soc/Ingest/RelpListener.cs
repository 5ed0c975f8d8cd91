using System.Globalization;
using System.Net;
using System.Text;

namespace Spbe.Security.Soc.Ingest;

/// <summary>
/// RELP, the protocol of rsyslog's omrelp: every <c>syslog</c> command is answered <c>200 OK</c> only once its event is
/// on disk in the write-ahead log, so an acknowledged event survives a crash. Frames that arrive together are made
/// durable together (one fsync) and answered in order.
/// </summary>
/// <remarks>
/// The first <see cref="SocOptions.DuplicateWindow"/> events of a session are compared with what the same sender
/// delivered before: RELP resends what it saw no answer for, and such an event is stored marked <c>duplicate</c>.
/// </remarks>
internal sealed class RelpListener(IngestContext context, IPEndPoint endpoint) : TcpIngestListener(context, endpoint, tls: null)
{
    /// <summary>Frames larger than this end the session (the data beyond MaxMessageBytes is cut off before storing).</summary>
    private const int MaxFrameData = 16 * 1024 * 1024;

    private static readonly byte[] OpenOffers = Encoding.ASCII.GetBytes("200 OK\nrelp_version=0\nrelp_software=spbe-security\ncommands=syslog");

    protected override IngestTransport Transport => IngestTransport.Relp;

    protected override async Task ServeAsync(Stream stream, IPAddress peer, SourceIdentity source, IngestFlags sourceFlags, CancellationToken cancellationToken)
    {
        var reader = new RelpFrameReader(Math.Max(MaxFrameData, Context.Options.MaxMessageBytes));
        var output = new MemoryStream();
        var records = new List<IngestRecord>();
        var answers = new List<long>();
        var peerText = peer.ToString();
        var opened = false;
        var compared = 0;
        using var idle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        while (true)
        {
            var read = await ReadAsync(stream, reader.FreeSpace(), idle);
            if (read == 0)
            {
                return;
            }

            reader.Advance(read);
            var now = Context.NowUnixMs;
            var closing = false;
            string? error = null;
            while (!closing && reader.TryRead(out var frame, out error))
            {
                var transaction = frame.Transaction;
                switch (frame.Command)
                {
                    case "open":
                        opened = true;
                        Respond(output, frame.Transaction, OpenOffers);
                        break;
                    case "syslog" when opened:
                        var data = frame.Data;
                        var flags = sourceFlags;
                        if (data.Length > Context.Options.MaxMessageBytes)
                        {
                            data = data[..Context.Options.MaxMessageBytes];
                            flags |= IngestFlags.Truncated;
                        }

                        // Note: rsyslog ends the message with LF inside the data; the stored line has no line end.
                        while (data.Length > 0 && data[^1] is (byte)'\n' or (byte)'\r')
                        {
                            data = data[..^1];
                        }

                        var record = new IngestRecord(now, IngestTransport.Relp, flags, peerText, source, data.ToArray());
                        if (compared < Context.Pipeline.Duplicates.Window)
                        {
                            compared++;
                            if (Context.Pipeline.Duplicates.Seen(record))
                            {
                                record = record with { Flags = record.Flags | IngestFlags.Duplicate };
                            }
                        }

                        Context.Pipeline.Duplicates.Remember(record);
                        records.Add(record);
                        answers.Add(frame.Transaction);
                        break;
                    case "close":
                        closing = true;
                        await AcknowledgeAsync(stream, output, records, answers, cancellationToken);
                        Respond(output, transaction, []);
                        output.Write("0 serverclose 0\n"u8);
                        break;
                    default:
                        // Note: order matters: answers already due go out first.
                        var refused = frame.Command;
                        await AcknowledgeAsync(stream, output, records, answers, cancellationToken);
                        Context.Metrics.Dropped("relp_refused");
                        Log.RelpProtocolError(Context.Logger, peerText, $"command '{refused}' refused{(opened ? "" : " before open")}");
                        Respond(output, transaction, Encoding.ASCII.GetBytes(opened ? "500 unknown command" : "500 open the session first"));
                        break;
                }
            }

            await AcknowledgeAsync(stream, output, records, answers, cancellationToken);
            if (error is not null)
            {
                Context.Metrics.Dropped("relp_protocol");
                Log.RelpProtocolError(Context.Logger, peerText, error);
                output.Write("0 serverclose 0\n"u8);
                await FlushAsync(stream, output, cancellationToken);
                return;
            }

            await FlushAsync(stream, output, cancellationToken);
            if (closing)
            {
                return;
            }
        }
    }

    private static void Respond(MemoryStream output, long transaction, ReadOnlySpan<byte> data)
    {
        var header = string.Create(CultureInfo.InvariantCulture, $"{transaction} rsp {data.Length}");
        output.Write(Encoding.ASCII.GetBytes(header));
        if (data.Length > 0)
        {
            output.WriteByte((byte)' ');
            output.Write(data);
        }

        output.WriteByte((byte)'\n');
    }

    private static async Task FlushAsync(Stream stream, MemoryStream output, CancellationToken cancellationToken)
    {
        if (output.Length > 0)
        {
            await stream.WriteAsync(output.GetBuffer().AsMemory(0, (int)output.Length), cancellationToken);
            await stream.FlushAsync(cancellationToken);
            output.SetLength(0);
        }
    }

    /// <summary>Makes the queued events durable, then writes their <c>200 OK</c> answers.</summary>
    private async Task AcknowledgeAsync(Stream stream, MemoryStream output, List<IngestRecord> records, List<long> answers, CancellationToken cancellationToken)
    {
        if (records.Count == 0)
        {
            return;
        }

        await Context.Pipeline.SubmitAsync([.. records], durable: true, cancellationToken);
        foreach (var transaction in answers)
        {
            Respond(output, transaction, "200 OK"u8);
        }

        records.Clear();
        answers.Clear();
        await FlushAsync(stream, output, cancellationToken);
    }
}
