using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using Spbe.Security.Soc.Ingest;

namespace Spbe.Security.Soc.Wal;

/// <summary>
/// The on-disk form of one record: <c>u32 length, u32 CRC-32C of the payload, payload</c>, little-endian, where the
/// payload is <c>i64 sequence, i64 arrival, u8 transport, u16 flags, peer, source name, OPD, u32 length, raw bytes</c>
/// and each string is <c>u16 length</c> (0xFFFF for none) and UTF-8.
/// </summary>
internal static class WalRecordCodec
{
    /// <summary>Bytes before the payload.</summary>
    public const int HeaderBytes = 8;

    /// <summary>The largest payload a reader accepts; a longer length field means a damaged record.</summary>
    public const int MaxPayloadBytes = 64 * 1024 * 1024;

    private const ushort NoString = 0xFFFF;
    private const int MaxStringBytes = 1024;

    /// <summary>Appends the encoded <paramref name="record"/> to <paramref name="writer"/>.</summary>
    public static int Write(IBufferWriter<byte> writer, IngestRecord record)
    {
        var peer = Utf8(record.Peer);
        var name = Utf8(record.Source.Name);
        var opd = record.Source.Opd is null ? null : Utf8(record.Source.Opd);
        var payload = 8 + 8 + 1 + 2 + (2 + peer.Length) + (2 + name.Length) + 2 + (opd?.Length ?? 0) + 4 + record.Raw.Length;
        var span = writer.GetSpan(HeaderBytes + payload);
        var body = span.Slice(HeaderBytes, payload);
        var p = 0;
        BinaryPrimitives.WriteInt64LittleEndian(body[p..], record.Sequence);
        p += 8;
        BinaryPrimitives.WriteInt64LittleEndian(body[p..], record.ArrivalUnixMs);
        p += 8;
        body[p++] = (byte)record.Transport;
        BinaryPrimitives.WriteUInt16LittleEndian(body[p..], (ushort)record.Flags);
        p += 2;
        p += WriteString(body[p..], peer);
        p += WriteString(body[p..], name);
        p += WriteString(body[p..], opd);
        BinaryPrimitives.WriteInt32LittleEndian(body[p..], record.Raw.Length);
        p += 4;
        record.Raw.CopyTo(body[p..]);
        BinaryPrimitives.WriteInt32LittleEndian(span, payload);
        BinaryPrimitives.WriteUInt32LittleEndian(span[4..], Crc32C.Compute(body));
        writer.Advance(HeaderBytes + payload);
        return HeaderBytes + payload;
    }

    /// <summary>Decodes a payload whose checksum was already verified; <see langword="null"/> when its structure is
    /// inconsistent (which a matching checksum makes a bug, not damage, but a reader still must not crash).</summary>
    public static IngestRecord? Read(ReadOnlySpan<byte> payload)
    {
        try
        {
            var p = 0;
            var sequence = BinaryPrimitives.ReadInt64LittleEndian(payload[p..]);
            p += 8;
            var arrival = BinaryPrimitives.ReadInt64LittleEndian(payload[p..]);
            p += 8;
            var transport = (IngestTransport)payload[p++];
            var flags = (IngestFlags)BinaryPrimitives.ReadUInt16LittleEndian(payload[p..]);
            p += 2;
            var peer = ReadString(payload, ref p) ?? "";
            var name = ReadString(payload, ref p) ?? SourceIdentity.Unknown.Name;
            var opd = ReadString(payload, ref p);
            var length = BinaryPrimitives.ReadInt32LittleEndian(payload[p..]);
            p += 4;
            if (length < 0 || length != payload.Length - p)
            {
                return null;
            }

            return new IngestRecord(arrival, transport, flags, peer, new SourceIdentity(name, opd), payload[p..].ToArray()) { Sequence = sequence };
        }
        catch (ArgumentOutOfRangeException)
        {
            return null;
        }
    }

    private static byte[] Utf8(string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        return bytes.Length <= MaxStringBytes ? bytes : bytes[..MaxStringBytes];
    }

    private static int WriteString(Span<byte> span, byte[]? value)
    {
        if (value is null)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(span, NoString);
            return 2;
        }

        BinaryPrimitives.WriteUInt16LittleEndian(span, (ushort)value.Length);
        value.CopyTo(span[2..]);
        return 2 + value.Length;
    }

    private static string? ReadString(ReadOnlySpan<byte> payload, ref int p)
    {
        var length = BinaryPrimitives.ReadUInt16LittleEndian(payload[p..]);
        p += 2;
        if (length == NoString)
        {
            return null;
        }

        var text = Encoding.UTF8.GetString(payload.Slice(p, length));
        p += length;
        return text;
    }
}
