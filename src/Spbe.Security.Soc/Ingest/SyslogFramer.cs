namespace Spbe.Security.Soc.Ingest;

/// <summary>
/// Splits a syslog byte stream into messages (RFC 6587). The framing is detected on the connection's first frame:
/// <c>LEN SP MSG</c> (octet counting, what rsyslog's omfwd sends) when it starts with digits and a space, otherwise one
/// message per line (LF, with an optional CR before it). Bytes may arrive in any chunks; the frames are the same.
/// </summary>
/// <remarks>
/// Memory per connection is bounded by <c>maxMessageBytes</c>: a longer message keeps its first bytes and is flagged
/// <see cref="IngestFlags.Truncated"/>; the rest is skipped up to the frame's end. An octet count that is not a number
/// is broken framing: the connection falls back to LF framing from that byte on, and the next message is flagged.
/// </remarks>
internal sealed class SyslogFramer
{
    /// <summary>A count longer than this many digits cannot be a frame length (2^31 has 10).</summary>
    private const int MaxLengthDigits = 10;

    private readonly int _maxMessageBytes;
    private readonly byte[] _pending;
    private int _pendingLength;
    private Mode _mode = Mode.Detect;
    private long _remaining;
    private int _lengthDigits;
    private readonly byte[] _digits = new byte[MaxLengthDigits];
    private IngestFlags _flags;

    /// <summary>Creates a framer keeping at most <paramref name="maxMessageBytes"/> of each message.</summary>
    public SyslogFramer(int maxMessageBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxMessageBytes);
        _maxMessageBytes = maxMessageBytes;
        _pending = new byte[maxMessageBytes];
    }

    /// <summary>Receives one message: its bytes (valid only during the call) and what was noticed.</summary>
    public delegate void FrameHandler(ReadOnlySpan<byte> message, IngestFlags flags);

    private enum Mode
    {
        Detect,
        Length,
        Body,
        Lines,
    }

    /// <summary>Whether the connection turned out to use octet counting.</summary>
    public bool OctetCounting { get; private set; }

    /// <summary>Feeds the next bytes of the stream; <paramref name="onFrame"/> is called for each complete message.</summary>
    public void Push(ReadOnlySpan<byte> data, FrameHandler onFrame)
    {
        ArgumentNullException.ThrowIfNull(onFrame);
        var i = 0;
        while (i < data.Length)
        {
            switch (_mode)
            {
                case Mode.Detect:
                    // Note: whitespace between frames (a trailing LF some senders add after a counted frame) is skipped.
                    var b = data[i];
                    if (b is (byte)'\n' or (byte)'\r' or (byte)' ')
                    {
                        i++;
                        continue;
                    }

                    _mode = IsDigit(b) && LooksCounted(data[i..]) ? Mode.Length : Mode.Lines;
                    if (_mode == Mode.Lines && OctetCounting)
                    {
                        // Note: a counted connection whose next frame has no count: its framing broke.
                        _flags |= IngestFlags.BrokenFraming;
                    }

                    OctetCounting |= _mode == Mode.Length;
                    _remaining = 0;
                    _lengthDigits = 0;
                    continue;

                case Mode.Length:
                    var c = data[i];
                    if (IsDigit(c) && _lengthDigits < MaxLengthDigits)
                    {
                        _remaining = (_remaining * 10) + (c - '0');
                        _digits[_lengthDigits++] = c;
                        i++;
                    }
                    else if (c == ' ' && _lengthDigits > 0)
                    {
                        _mode = _remaining == 0 ? Mode.Detect : Mode.Body;
                        i++;
                    }
                    else
                    {
                        // Note: not a count after all. The digits read so far belong to a line-framed message.
                        Append(_digits.AsSpan(0, _lengthDigits));
                        _flags |= IngestFlags.BrokenFraming;
                        _mode = Mode.Lines;
                    }

                    continue;

                case Mode.Body:
                    var take = (int)Math.Min(_remaining, data.Length - i);
                    Append(data.Slice(i, take));
                    i += take;
                    _remaining -= take;
                    if (_remaining == 0)
                    {
                        Emit(onFrame);
                        _mode = Mode.Detect;
                    }

                    continue;

                default:
                    var rest = data[i..];
                    var newline = rest.IndexOf((byte)'\n');
                    if (newline < 0)
                    {
                        Append(rest);
                        return;
                    }

                    Append(rest[..newline]);
                    i += newline + 1;
                    if (_pendingLength > 0 && _pending[_pendingLength - 1] == '\r' && (_flags & IngestFlags.Truncated) == 0)
                    {
                        _pendingLength--;
                    }

                    if (_pendingLength > 0 || (_flags & IngestFlags.Truncated) != 0)
                    {
                        Emit(onFrame);
                    }

                    // Note: a connection stays line-framed once it is (a digit at the start of a line is just text).
                    continue;
            }
        }
    }

    /// <summary>The connection ended: a message still open is delivered (flagged when a counted frame was cut short).</summary>
    public void Complete(FrameHandler onFrame)
    {
        ArgumentNullException.ThrowIfNull(onFrame);
        if (_mode is Mode.Body or Mode.Length)
        {
            _flags |= IngestFlags.BrokenFraming;
        }

        if (_pendingLength > 0 || (_flags & IngestFlags.BrokenFraming) != 0)
        {
            Emit(onFrame);
        }

        _mode = Mode.Detect;
    }

    private static bool IsDigit(byte b) => b is >= (byte)'0' and <= (byte)'9';

    /// <summary>Whether the connection's first bytes look like <c>DIGITS SP</c>. With fewer bytes than that available the
    /// digits alone decide (a sender that starts with a bare number on a line is rare; a counted frame split after its
    /// first digit is not).</summary>
    private static bool LooksCounted(ReadOnlySpan<byte> data)
    {
        var n = 0;
        while (n < data.Length && n <= MaxLengthDigits && IsDigit(data[n]))
        {
            n++;
        }

        return n == data.Length ? n <= MaxLengthDigits : n > 0 && n <= MaxLengthDigits && data[n] == ' ';
    }

    private void Append(ReadOnlySpan<byte> bytes)
    {
        var room = _maxMessageBytes - _pendingLength;
        if (bytes.Length > room)
        {
            _flags |= IngestFlags.Truncated;
            bytes = bytes[..room];
        }

        bytes.CopyTo(_pending.AsSpan(_pendingLength));
        _pendingLength += bytes.Length;
    }

    private void Emit(FrameHandler onFrame)
    {
        // Note: senders end a counted frame with LF too (rsyslog's templates do); the line end is not part of the event.
        while (_pendingLength > 0 && _pending[_pendingLength - 1] is (byte)'\n' or (byte)'\r')
        {
            _pendingLength--;
        }

        onFrame(_pending.AsSpan(0, _pendingLength), _flags);
        _pendingLength = 0;
        _flags = IngestFlags.None;
    }
}
