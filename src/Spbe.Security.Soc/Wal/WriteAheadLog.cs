using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Spbe.Security.Soc.Ingest;

namespace Spbe.Security.Soc.Wal;

/// <summary>
/// The acknowledgement point: received events are appended here, and only once a batch is on disk (fsync) is it
/// acknowledged to RELP and HTTP senders and handed to the event store. Segments are files named after their first
/// sequence number (<c>00000000000000000001.wal</c>); a segment is deleted once the store holds everything in it.
/// </summary>
/// <remarks>
/// Not thread-safe: one writer (the pipeline's) appends. Opening scans every segment: a damaged record (a torn write
/// at the end after a crash, or a checksum mismatch) ends the segment there. The damaged bytes are cut off, counted
/// and logged (<c>SOC-0201</c>), and nothing after them in that segment is trusted.
/// </remarks>
internal sealed class WriteAheadLog : IDisposable
{
    /// <summary>The file name extension of segments.</summary>
    public const string Extension = ".wal";

    private static ReadOnlySpan<byte> Magic => "SPBEWAL1"u8;

    private readonly string _directory;
    private readonly long _segmentBytes;
    private readonly bool _fsync;
    private readonly ILogger _logger;
    private readonly ArrayBufferWriter<byte> _buffer = new(1024 * 1024);
    private readonly List<(string Path, long LastSequence, long Bytes)> _closed = [];
    private FileStream? _current;
    private string? _currentPath;
    private long _closedBytes;
    private long _currentBytes;
    private long _nextSequence = 1;

    public WriteAheadLog(string directory, long segmentBytes, bool fsync, ILogger logger)
    {
        _directory = directory;
        _segmentBytes = segmentBytes;
        _fsync = fsync;
        _logger = logger;
    }

    /// <summary>The sequence number the next record gets.</summary>
    public long NextSequence => _nextSequence;

    /// <summary>Bytes in all segments.</summary>
    /// <remarks>Kept as segments are written, rolled and deleted: the pipeline reads it after every batch.</remarks>
    public long SizeBytes => _closedBytes + _currentBytes;

    /// <summary>Reads every segment, cuts damaged tails, calls <paramref name="onRecord"/> for each intact record in order,
    /// and opens a new segment for appending.</summary>
    public WalRecovery Open(Action<IngestRecord> onRecord)
    {
        ArgumentNullException.ThrowIfNull(onRecord);
        Directory.CreateDirectory(_directory);
        var files = Directory.GetFiles(_directory, "*" + Extension)
            .Select(f => (Path: f, First: long.TryParse(System.IO.Path.GetFileNameWithoutExtension(f), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : -1))
            .Where(f => f.First >= 0)
            .OrderBy(f => f.First)
            .ToList();
        long records = 0, truncated = 0, last = 0;
        var corrupt = 0;
        foreach (var (path, _) in files)
        {
            var (count, lastInSegment, damagedBytes) = ReadSegment(path, onRecord);
            records += count;
            if (damagedBytes > 0)
            {
                corrupt++;
                truncated += damagedBytes;
                Log.WalDamaged(_logger, System.IO.Path.GetFileName(path), damagedBytes);
            }

            if (count == 0)
            {
                File.Delete(path);
                continue;
            }

            last = Math.Max(last, lastInSegment);
            AddClosed(path, lastInSegment, new FileInfo(path).Length);
        }

        _nextSequence = last + 1;
        StartSegment();
        return new WalRecovery(files.Count, records, last, corrupt, truncated);
    }

    /// <summary>Gives each record its sequence number and writes the batch; returns once it is on disk (when fsync is on).</summary>
    /// <returns>The bytes written.</returns>
    public long Append(IReadOnlyList<IngestRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        if (_current is null)
        {
            throw new InvalidOperationException("The write-ahead log is not open.");
        }

        _buffer.ResetWrittenCount();
        foreach (var record in records)
        {
            record.Sequence = _nextSequence++;
            WalRecordCodec.Write(_buffer, record);
        }

        _current.Write(_buffer.WrittenSpan);
        _current.Flush(flushToDisk: _fsync);
        var written = _buffer.WrittenCount;
        _currentBytes += written;
        if (_buffer.Capacity > 16 * 1024 * 1024)
        {
            // Note: one huge batch must not pin its buffer for the life of the process.
            _buffer.Clear();
        }

        if (_currentBytes >= _segmentBytes)
        {
            AddClosed(_currentPath!, _nextSequence - 1, _currentBytes);
            _current.Dispose();
            StartSegment();
        }

        return written;
    }

    /// <summary>Deletes closed segments whose every record is at or below <paramref name="sequence"/> (stored).</summary>
    public int ReleaseThrough(long sequence)
    {
        var released = 0;
        while (_closed.Count > 0 && _closed[0].LastSequence <= sequence)
        {
            File.Delete(_closed[0].Path);
            _closedBytes -= _closed[0].Bytes;
            _closed.RemoveAt(0);
            released++;
        }

        return released;
    }

    public void Dispose()
    {
        _current?.Dispose();
        _current = null;
    }

    private void AddClosed(string path, long lastSequence, long bytes)
    {
        _closed.Add((path, lastSequence, bytes));
        _closedBytes += bytes;
    }

    private void StartSegment()
    {
        _currentPath = System.IO.Path.Combine(_directory, _nextSequence.ToString("D20", CultureInfo.InvariantCulture) + Extension);
        _current = new FileStream(_currentPath, FileMode.Create, FileAccess.Write, FileShare.Read, bufferSize: 0);
        _current.Write(Magic);
        _current.Flush(flushToDisk: _fsync);
        _currentBytes = Magic.Length;
        if (_fsync)
        {
            SyncDirectory(_directory);
        }
    }

    /// <summary>Makes a new file's name durable: fsync of the directory (POSIX; .NET opens no directories itself).</summary>
    private static void SyncDirectory(string path)
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        const int ReadOnlyDirectory = 0x10000; // O_RDONLY | O_DIRECTORY on Linux
        var descriptor = NativeMethods.Open(path, ReadOnlyDirectory);
        if (descriptor >= 0)
        {
            _ = NativeMethods.Fsync(descriptor);
            _ = NativeMethods.Close(descriptor);
        }
    }

    /// <summary>Reads one segment; a damaged record ends it and the file is cut there.</summary>
    private static (long Count, long Last, long DamagedBytes) ReadSegment(string path, Action<IngestRecord> onRecord)
    {
        long count = 0, last = 0, good;
        long length;
        using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1024 * 1024))
        {
            length = stream.Length;
            Span<byte> magic = stackalloc byte[8];
            if (stream.ReadAtLeast(magic, 8, throwOnEndOfStream: false) != 8 || !magic.SequenceEqual(Magic))
            {
                return (0, 0, length);
            }

            good = 8;
            var header = new byte[WalRecordCodec.HeaderBytes];
            var payload = new byte[64 * 1024];
            while (true)
            {
                if (stream.ReadAtLeast(header, header.Length, throwOnEndOfStream: false) != header.Length)
                {
                    break;
                }

                var size = BinaryPrimitives.ReadInt32LittleEndian(header);
                var crc = BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(4));
                if (size <= 0 || size > WalRecordCodec.MaxPayloadBytes || size > length - good - WalRecordCodec.HeaderBytes)
                {
                    break;
                }

                if (payload.Length < size)
                {
                    payload = new byte[Math.Max(size, payload.Length * 2)];
                }

                if (stream.ReadAtLeast(payload.AsSpan(0, size), size, throwOnEndOfStream: false) != size
                    || Crc32C.Compute(payload.AsSpan(0, size)) != crc
                    || WalRecordCodec.Read(payload.AsSpan(0, size)) is not { } record)
                {
                    break;
                }

                onRecord(record);
                count++;
                last = record.Sequence;
                good += WalRecordCodec.HeaderBytes + size;
            }
        }

        if (good < length)
        {
            using var cut = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.Read);
            cut.SetLength(good);
            cut.Flush(flushToDisk: true);
        }

        return (count, last, length - good);
    }
}
