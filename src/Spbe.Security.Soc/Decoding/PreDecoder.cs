namespace Spbe.Security.Soc.Decoding;

/// <summary>
/// Wazuh's pre-decoding: recognises a log header by the position of its spaces, colons and dashes (never by parsing
/// dates), takes the timestamp text, the host and the program name (with an optional <c>[pid]</c>, which is not kept),
/// and leaves the rest as the <see cref="PreDecoded.Log"/> that decoders and rules read. Lines with no header it
/// knows are taken whole. The event's own time is never read from the header: correlation runs on arrival time.
/// </summary>
public static class PreDecoder
{
    /// <summary>Pre-decodes one line.</summary>
    public static PreDecoded Decode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return SyslogLike(text) ?? Other(text) ?? new PreDecoded(text, text, null, null, null);
    }

    /// <summary>Headers after which a host and a program name may follow (Wazuh's first group).</summary>
    private static PreDecoded? SyslogLike(string t)
    {
        int offset;
        int stampLength;
        var n = t.Length;

        // Note: "Mär 02 ..." (German month, two bytes in UTF-8): Wazuh checks the layout one byte further on and so
        // keeps one character less of the timestamp; in characters the layout is the usual one.
        var umlaut = n >= 2 && t[1] == 'ä';
        if (n >= 17 && At(t, 3, ' ') && At(t, 6, ' ') && At(t, 9, ':') && At(t, 12, ':') && At(t, 15, ' '))
        {
            (offset, stampLength) = (16, umlaut ? 14 : 15);
        }
        else if (n >= 24 && At(t, 4, '-') && At(t, 7, '-') && At(t, 10, ' ') && At(t, 13, ':') && At(t, 16, ':') && At(t, 19, ','))
        {
            (offset, stampLength) = (24, 23);
        }
        else if (n >= 33 && At(t, 4, '-') && At(t, 7, '-') && At(t, 10, 'T') && At(t, 13, ':') && At(t, 16, ':'))
        {
            if (At(t, 22, ':') && At(t, 25, ' '))
            {
                (offset, stampLength) = (26, 25);
            }
            else if (At(t, 19, '.') && At(t, 26, ':'))
            {
                (offset, stampLength) = (30, 29);
            }
            else if (At(t, 19, '.') && At(t, 29, ':'))
            {
                (offset, stampLength) = (33, 32);
            }
            else if (At(t, 19, '.'))
            {
                // Note: any other fraction: Wazuh moves on 32 characters whatever the length of the timestamp.
                (offset, stampLength) = (32, 31);
            }
            else
            {
                return null;
            }
        }
        else if (n >= 21 && char.IsAsciiDigit(t[0]) && At(t, 4, ' ') && At(t, 8, ' ') && At(t, 11, ' ') && At(t, 14, ':') && At(t, 17, ':') && At(t, 20, ' '))
        {
            (offset, stampLength) = (21, 20);
        }
        else if (n >= 33 && char.IsAsciiDigit(t[0]) && At(t, 4, '-') && At(t, 7, '-') && At(t, 10, ' ') && At(t, 13, ':') && At(t, 16, ':') && At(t, 19, '.')
            && t[26] is '-' or '+' && At(t, 31, ' '))
        {
            (offset, stampLength) = (32, 31);
        }
        else
        {
            return null;
        }

        var timestamp = t[..Math.Min(stampLength, n)];
        var log = Math.Min(offset, n);
        if (log < n && t[log] == ' ')
        {
            log++;
        }

        return HostAndProgram(t, timestamp, log);
    }

    /// <summary>After a syslog-like timestamp: "host prog[pid]: msg", "host prog: msg", "prog: msg" (no host), or just
    /// text after the host.</summary>
    private static PreDecoded HostAndProgram(string t, string timestamp, int log)
    {
        var hostEnd = Run(t, log);
        var next = hostEnd < t.Length ? t[hostEnd] : '\0';
        if (next == ':' && At(t, hostEnd + 1, ' '))
        {
            // Note: "prog: msg" right after the timestamp (Solaris): no host; the program may be empty.
            return Header(t, timestamp, null, t[log..hostEnd], RemoveId(t, hostEnd + 2));
        }

        if (next != ' ')
        {
            return new PreDecoded(t, t[log..], timestamp, null, null);
        }

        var host = t[log..hostEnd];
        var program = hostEnd + 1;
        var programEnd = Run(t, program);
        var c = programEnd < t.Length ? t[programEnd] : '\0';
        if (c == ':')
        {
            var rest = programEnd + 1;
            if (At(t, rest, ' '))
            {
                rest++;
            }

            return Header(t, timestamp, host, t[program..programEnd], RemoveId(t, rest));
        }

        if (c == '[' && programEnd + 1 < t.Length && char.IsAsciiDigit(t[programEnd + 1]))
        {
            var i = programEnd + 1;
            while (i < t.Length && char.IsAsciiDigit(t[i]))
            {
                i++;
            }

            if (At(t, i, ']') && At(t, i + 1, ':'))
            {
                var rest = i + 2;
                if (At(t, rest, ' '))
                {
                    rest++;
                }

                return Header(t, timestamp, host, t[program..programEnd], RemoveId(t, rest));
            }

            if (At(t, i, ']') && At(t, i + 1, ' '))
            {
                return Header(t, timestamp, host, t[program..programEnd], RemoveId(t, i + 2));
            }

            return new PreDecoded(t, t[program..], timestamp, host, null);
        }

        if (c == '|' && programEnd + 1 < t.Length && char.IsAsciiLetterLower(t[programEnd + 1]))
        {
            return Aix(t, timestamp, host, program, programEnd);
        }

        return new PreDecoded(t, t[program..], timestamp, host, null);
    }

    /// <summary>AIX: "host auth|security:info sshd[12]: msg".</summary>
    private static PreDecoded Aix(string t, string timestamp, string host, int afterHost, int bar)
    {
        var i = bar + 2;
        while (i < t.Length && char.IsAsciiLetterOrDigit(t[i]))
        {
            i++;
        }

        if (!At(t, i, ':'))
        {
            return new PreDecoded(t, t[afterHost..], timestamp, host, null);
        }

        i++;
        while (i < t.Length && char.IsAsciiLetterOrDigit(t[i]))
        {
            i++;
        }

        if (!At(t, i, ' '))
        {
            return new PreDecoded(t, t[afterHost..], timestamp, host, null);
        }

        var program = i + 1;
        var programEnd = Run(t, program);
        if (At(t, programEnd, ':') && At(t, programEnd + 1, ' '))
        {
            return Header(t, timestamp, host, t[program..programEnd], programEnd + 2);
        }

        if (At(t, programEnd, '['))
        {
            var j = programEnd + 1;
            while (j < t.Length && char.IsAsciiDigit(t[j]))
            {
                j++;
            }

            return At(t, j, ']') && At(t, j + 1, ':') && At(t, j + 2, ' ')
                ? Header(t, timestamp, host, t[program..programEnd], j + 3)
                : new PreDecoded(t, t[afterHost..], timestamp, host, t[program..programEnd]);
        }

        // Note: Wazuh leaves the program name unterminated here: it runs to the end of the line.
        return new PreDecoded(t, t[Math.Min(programEnd + 1, t.Length)..], timestamp, host, t[program..]);
    }

    private static PreDecoded Header(string t, string timestamp, string? host, string program, int log) =>
        new(t, t[Math.Min(log, t.Length)..], timestamp, host, program);

    /// <summary>Skips a Solaris "[ID 123 auth.info] " after the program name.</summary>
    private static int RemoveId(string t, int log)
    {
        if (string.CompareOrdinal(t, log, "[ID ", 0, 4) == 0 && t.IndexOf(']', log) is var close and >= 0)
        {
            return close + 2;
        }

        return log;
    }

    /// <summary>The other headers Wazuh knows (xferlog, snort, suricata, apache, macOS ASL, squid): no host or program.</summary>
    private static PreDecoded? Other(string t)
    {
        var n = t.Length;
        if (n >= 28 && At(t, 3, ' ') && At(t, 7, ' ') && At(t, 10, ' ') && At(t, 13, ':') && At(t, 16, ':') && At(t, 19, ' ') && At(t, 24, ' ') && At(t, 26, ' '))
        {
            return new PreDecoded(t, t[25..], t[..24], null, null);
        }

        if (n >= 24 && At(t, 2, '/') && At(t, 5, '-') && At(t, 8, ':') && At(t, 11, ':') && At(t, 14, '.') && At(t, 21, ' '))
        {
            return new PreDecoded(t, t[23..], t[..21], null, null);
        }

        if (n >= 27 && At(t, 2, '/') && At(t, 5, '/') && At(t, 10, '-') && At(t, 13, ':') && At(t, 16, ':') && At(t, 19, '.') && At(t, 26, ' '))
        {
            return new PreDecoded(t, t[Math.Min(28, n)..], t[..26], null, null);
        }

        if (n >= 27 && At(t, 0, '[') && At(t, 4, ' ') && At(t, 8, ' ') && At(t, 11, ' ') && At(t, 14, ':') && At(t, 17, ':') && At(t, 20, ' ') && At(t, 25, ']'))
        {
            return new PreDecoded(t, t[27..], t[1..25], null, null);
        }

        if (n >= 26 && At(t, 0, '[') && At(t, 1, 'T') && At(t, 5, ' ') && At(t, 10, '.') && At(t, 13, '.') && At(t, 16, ' ') && At(t, 19, ':'))
        {
            return AppleSystemLog(t);
        }

        if (n >= 32 && At(t, 0, '1') && char.IsAsciiDigit(t[1]) && char.IsAsciiDigit(t[2]) && char.IsAsciiDigit(t[3]) && At(t, 10, '.')
            && char.IsAsciiDigit(t[13]) && At(t, 14, ' ') && (At(t, 21, ' ') || At(t, 22, ' ')))
        {
            var log = 14;
            while (log < n && t[log] == ' ')
            {
                log++;
            }

            return new PreDecoded(t, t[log..], t[..(log - 1)], null, null);
        }

        return null;
    }

    /// <summary>"[Time ...] [Facility auth] [Sender sshd] [PID 483] [Message ...] [Level 3] [Host h]".</summary>
    private static PreDecoded AppleSystemLog(string t)
    {
        string? program = null;
        string? host = null;
        var log = t;
        var i = 25;
        var messageSeen = false;
        while ((i = t.IndexOf('[', i)) >= 0)
        {
            var close = t.IndexOf(']', i);
            if (t.AsSpan(i).StartsWith("[Sender ", StringComparison.Ordinal))
            {
                if (close < 0)
                {
                    program = null;
                    break;
                }

                program ??= t[(i + 8)..close];
            }
            else if (t.AsSpan(i).StartsWith("[Message ", StringComparison.Ordinal) && !messageSeen)
            {
                if (close < 0)
                {
                    break;
                }

                log = t[(i + 9)..close];
                messageSeen = true;
            }
            else if (t.AsSpan(i).StartsWith("[Host ", StringComparison.Ordinal))
            {
                host = close < 0 ? t[(i + 6)..] : t[(i + 6)..close];
                break;
            }

            if (close < 0)
            {
                break;
            }

            i = close + 1;
        }

        return new PreDecoded(t, log, null, host, program);
    }

    private static bool At(string t, int i, char c) => i < t.Length && t[i] == c;

    /// <summary>The end of the run of host/program characters from <paramref name="i"/> (A-Z a-z 0-9 ( ) - . / @ _).</summary>
    private static int Run(string t, int i)
    {
        while (i < t.Length && (char.IsAsciiLetterOrDigit(t[i]) || t[i] is '(' or ')' or '-' or '.' or '/' or '@' or '_'))
        {
            i++;
        }

        return i;
    }
}
