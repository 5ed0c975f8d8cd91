using System.Text;
using FsCheck.Xunit;
using Microsoft.Extensions.Logging.Abstractions;
using Spbe.Security.Soc.Ingest;
using Spbe.Security.Testing;

namespace Spbe.Security.Soc.Wal;

public sealed class WriteAheadLogTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private static IngestRecord Record(string text, IngestTransport transport = IngestTransport.Tcp, string? opd = "DINKES") =>
        new(1_790_000_000_000, transport, IngestFlags.Truncated, "10.0.0.7", new SourceIdentity("dinkes-web", opd), Encoding.UTF8.GetBytes(text));

    private WriteAheadLog Open(List<IngestRecord> replayed, out WalRecovery recovery, long segmentBytes = 1 << 20)
    {
        var wal = new WriteAheadLog(_temp.Combine("wal"), segmentBytes, fsync: true, NullLogger.Instance);
        recovery = wal.Open(replayed.Add);
        return wal;
    }

    [Fact]
    public void Open_AfterAppends_ReplaysEveryRecordExactlyAsWrittenAndContinuesTheSequence()
    {
        using (var wal = Open([], out _))
        {
            wal.Append([Record("satu"), Record("dua", IngestTransport.Relp, opd: null)]);
            wal.Append([Record("tiga\0\xff")]);
        }

        var replayed = new List<IngestRecord>();
        using var reopened = Open(replayed, out var recovery);
        Assert.Equal((3L, 3L, 0), (recovery.Records, recovery.LastSequence, recovery.CorruptRecords));
        Assert.Equal([1L, 2L, 3L], replayed.Select(r => r.Sequence));
        Assert.Equal(Record("dua", IngestTransport.Relp, opd: null) with { }, replayed[1] with { }, new RecordComparer());
        Assert.Equal(4, reopened.NextSequence);
    }

    [Fact]
    public void Open_TornLastRecord_CutsItOffCountsItAndKeepsTheRest()
    {
        using (var wal = Open([], out _))
        {
            wal.Append([Record("utuh"), Record("terpotong")]);
        }

        var segment = Directory.GetFiles(_temp.Combine("wal")).Single();
        var length = new FileInfo(segment).Length;
        using (var file = new FileStream(segment, FileMode.Open))
        {
            file.SetLength(length - 3);
        }

        var replayed = new List<IngestRecord>();
        using var reopened = Open(replayed, out var recovery);
        Assert.Equal(["utuh"], replayed.Select(r => Encoding.UTF8.GetString(r.Raw)));
        Assert.Equal(1, recovery.CorruptRecords);
        Assert.True(recovery.TruncatedBytes > 0);
        Assert.Equal(2, reopened.NextSequence);
    }

    [Fact]
    public void Open_FlippedByteInARecord_StopsAtTheChecksumMismatch()
    {
        using (var wal = Open([], out _))
        {
            wal.Append([Record("pertama")]);
            wal.Append([Record("kedua")]);
        }

        var segment = Directory.GetFiles(_temp.Combine("wal")).Single();
        var bytes = File.ReadAllBytes(segment);
        bytes[^2] ^= 0x40;
        File.WriteAllBytes(segment, bytes);

        var replayed = new List<IngestRecord>();
        using var reopened = Open(replayed, out var recovery);
        Assert.Equal(["pertama"], replayed.Select(r => Encoding.UTF8.GetString(r.Raw)));
        Assert.Equal(1, recovery.CorruptRecords);
    }

    [Fact]
    public void ReleaseThrough_StoredSegments_DeletesOnlyThoseFullyStored()
    {
        using var wal = Open([], out _, segmentBytes: 64 * 1024);
        for (var i = 0; i < 40; i++)
        {
            wal.Append([Record(new string('x', 4000))]);
        }

        var before = Directory.GetFiles(_temp.Combine("wal")).Length;
        Assert.True(before >= 3, $"{before} segments");
        wal.ReleaseThrough(20);
        var after = Directory.GetFiles(_temp.Combine("wal")).Length;
        Assert.InRange(after, 2, before - 1);

        var replayed = new List<IngestRecord>();
        wal.Dispose();
        using var reopened = Open(replayed, out _);
        Assert.True(replayed[0].Sequence <= 21, $"first kept {replayed[0].Sequence}");
        Assert.Equal(40, replayed[^1].Sequence);
    }

    [Property(MaxTest = 200)]
    public bool Crc32C_Instruction_AgreesWithTheTable(byte[] data) => Crc32C.Compute(data) == Crc32C.ComputeWithTable(data);

    [Fact]
    public void Crc32C_StandardCheckValue() => Assert.Equal(0xE3069283u, Crc32C.Compute("123456789"u8));

    private sealed class RecordComparer : IEqualityComparer<IngestRecord>
    {
        public bool Equals(IngestRecord? x, IngestRecord? y) =>
            x!.ArrivalUnixMs == y!.ArrivalUnixMs && x.Transport == y.Transport && x.Flags == y.Flags && x.Peer == y.Peer && x.Source == y.Source
            && x.Raw.AsSpan().SequenceEqual(y.Raw);

        public int GetHashCode(IngestRecord obj) => 0;
    }
}
