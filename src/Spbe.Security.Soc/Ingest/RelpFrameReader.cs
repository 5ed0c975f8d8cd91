using System.Text;

namespace Spbe.Security.Soc.Ingest;

/// <summary>
/// Splits a RELP byte stream into frames. Bytes may arrive in any chunks; <see cref="TryRead"/> returns a frame once all
/// of it is buffered. The buffer holds at most one frame, whose size the caller bounds.
/// </summary>
internal sealed class RelpFrameReader(int maxDataBytes)
{
    private const int MaxTransaction = 999_999_999;
    private const int MaxCommand = 32;

    private byte[] _buffer = new byte[64 * 1024];
    private int _start;
    private int _end;

    /// <summary>Room to read into (compacting or growing the buffer as needed).</summary>
    public Memory<byte> FreeSpace()
    {
        if (_start > 0 && _start == _end)
        {
            _start = _end = 0;
        }

        if (_end == _buffer.Length)
        {
            if (_start > 0)
            {
                Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
                _end -= _start;
                _start = 0;
            }
            else
            {
                Array.Resize(ref _buffer, _buffer.Length * 2);
            }
        }

        return _buffer.AsMemory(_end);
    }

    /// <summary>Records that <paramref name="count"/> bytes were read into <see cref="FreeSpace"/>.</summary>
    public void Advance(int count) => _end += count;

    /// <summary>Whether bytes of an unfinished frame are buffered.</summary>
    public bool HasPartialFrame => _end > _start;

    /// <summary>Reads the next complete frame. Returns false when more bytes are needed; sets <paramref name="error"/>
    /// when the stream is not RELP (the session must end).</summary>
    public bool TryRead(out RelpFrame frame, out string? error)
    {
        frame = default;
        error = null;
        var span = _buffer.AsSpan(_start, _end - _start);
        var p = 0;
        if (!Number(span, ref p, MaxTransaction, out var transaction, out error) || !Space(span, ref p, ref error))
        {
            return false;
        }

        var commandStart = p;
        while (p < span.Length && span[p] != ' ' && span[p] != '\n' && p - commandStart <= MaxCommand)
        {
            if (span[p] is < (byte)'a' or > (byte)'z')
            {
                error = "a command must be lower-case letters";
                return false;
            }

            p++;
        }

        if (p == span.Length)
        {
            error = p - commandStart > MaxCommand ? "command too long" : null;
            return false;
        }

        if (span[p] != ' ' || p == commandStart)
        {
            error = "a frame needs a command and a data length";
            return false;
        }

        var command = Encoding.ASCII.GetString(span[commandStart..p]);
        p++;
        if (!Number(span, ref p, maxDataBytes, out var length, out error, allowZero: true))
        {
            return false;
        }

        if (p == span.Length)
        {
            return false;
        }

        if (length > 0)
        {
            if (span[p] != ' ')
            {
                error = "data must follow the length after one space";
                return false;
            }

            p++;
        }

        if (span.Length < p + length + 1)
        {
            return false;
        }

        if (span[p + (int)length] != '\n')
        {
            error = "a frame must end with LF after DATALEN bytes of data";
            return false;
        }

        frame = new RelpFrame(transaction, command, span.Slice(p, (int)length));
        _start += p + (int)length + 1;
        return true;
    }

    private static bool Space(ReadOnlySpan<byte> span, ref int p, ref string? error)
    {
        if (p == span.Length)
        {
            return false;
        }

        if (span[p] != ' ')
        {
            error = "fields of a frame are separated by one space";
            return false;
        }

        p++;
        return true;
    }

    private static bool Number(ReadOnlySpan<byte> span, ref int p, long max, out long value, out string? error, bool allowZero = false)
    {
        value = 0;
        error = null;
        var start = p;
        while (p < span.Length && span[p] is >= (byte)'0' and <= (byte)'9')
        {
            value = (value * 10) + (span[p] - '0');
            p++;
            if (value > max)
            {
                error = $"a number exceeds {max}";
                return false;
            }
        }

        if (p == span.Length)
        {
            return false;
        }

        if (p == start || (!allowZero && value == 0))
        {
            error = "a transaction number or length is missing";
            return false;
        }

        return true;
    }
}
