using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Spbe.Security.Soc.Ingest;

/// <summary>
/// Remembers the last events each RELP sender delivered, so that what a sender sends again after a reconnect (RELP is
/// at-least-once: an acknowledgement lost with the connection means the sender resends) is stored marked
/// <see cref="IngestFlags.Duplicate"/> instead of looking like a second occurrence. It is filled from the write-ahead
/// log on start, so it works across a crash of this process too.
/// </summary>
/// <remarks>Only the first messages of a new session are compared (the sender's resend window), and only with the same
/// sender's; a marked event is still stored, never dropped.</remarks>
internal sealed class DuplicateTracker
{
    private readonly int _perSender;
    private readonly Dictionary<string, Ring> _senders = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public DuplicateTracker(int perSender)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(perSender);
        _perSender = perSender;
    }

    /// <summary>How many messages at the start of a new session are compared.</summary>
    public int Window => _perSender;

    /// <summary>The key of a sender: its source name and, for unknown sources, its address.</summary>
    public static string SenderOf(IngestRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return (record.Flags & IngestFlags.UnknownSource) != 0 ? "?" + record.Peer : record.Source.Name + "@" + record.Peer;
    }

    /// <summary>Records that <paramref name="record"/> was received.</summary>
    public void Remember(IngestRecord record)
    {
        var key = SenderOf(record);
        var hash = Hash(record.Raw);
        lock (_gate)
        {
            if (!_senders.TryGetValue(key, out var ring))
            {
                ring = new Ring(_perSender);
                _senders[key] = ring;
            }

            ring.Add(hash);
        }
    }

    /// <summary>Whether the same sender recently delivered the same bytes.</summary>
    public bool Seen(IngestRecord record)
    {
        var key = SenderOf(record);
        var hash = Hash(record.Raw);
        lock (_gate)
        {
            return _senders.TryGetValue(key, out var ring) && ring.Contains(hash);
        }
    }

    private static ulong Hash(byte[] raw)
    {
        Span<byte> digest = stackalloc byte[32];
        SHA256.HashData(raw, digest);
        return BinaryPrimitives.ReadUInt64LittleEndian(digest);
    }

    private sealed class Ring(int capacity)
    {
        private readonly ulong[] _items = new ulong[capacity];
        private readonly Dictionary<ulong, int> _counts = [];
        private int _next;
        private int _count;

        public void Add(ulong hash)
        {
            if (_count == _items.Length)
            {
                var old = _items[_next];
                if (--_counts[old] == 0)
                {
                    _counts.Remove(old);
                }
            }
            else
            {
                _count++;
            }

            _items[_next] = hash;
            _next = (_next + 1) % _items.Length;
            _counts[hash] = _counts.GetValueOrDefault(hash) + 1;
        }

        public bool Contains(ulong hash) => _counts.ContainsKey(hash);
    }
}
