using System.Globalization;
using System.Text;

namespace Spbe.Security.Soc.Parsing;

/// <summary>
/// Reads RFC 5424 and RFC 3164 headers, including what real devices send instead: no PRI (raw log files), no
/// hostname, ISO 8601 timestamps in a BSD header (rsyslog's forwarding format), a year after the BSD date, fractions
/// of a second. It never throws: whatever cannot be read stays in <see cref="SyslogMessage.Message"/>, and
/// <see cref="SyslogMessage.Problems"/> says what was wrong.
/// </summary>
public static class SyslogParser
{
    private const int MaxPri = 191;
    private const int MaxHostname = 255;
    private const int MaxAppName = 48;
    private const int MaxProcId = 128;
    private const int MaxMsgId = 32;
    private const int MaxSdName = 32;
    private const int MaxTag = 64;

    private static readonly string[] Months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

    /// <summary>Parses <paramref name="text"/>, which arrived at <paramref name="arrival"/>; BSD timestamps (which have
    /// no zone or year) are read in <paramref name="zone"/> with the year that puts them closest to the arrival.</summary>
    public static SyslogMessage Parse(string text, DateTimeOffset arrival, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(zone);
        var span = text.AsSpan();
        int? facility = null, severity = null;
        var problems = SyslogProblems.None;
        if (TryReadPri(span, out var pri, out var priLength, out var badPri))
        {
            facility = pri / 8;
            severity = pri % 8;
            span = span[priLength..];
        }
        else if (badPri)
        {
            problems |= SyslogProblems.BadPri;
        }
        else
        {
            problems |= SyslogProblems.NoPri;
        }

        // Note: "1 " after PRI is RFC 5424's version; a BSD timestamp never starts with a digit and a space.
        if (facility is not null && span.Length >= 2 && span[0] == '1' && span[1] == ' ')
        {
            return Parse5424(span[2..], facility, severity, problems);
        }

        return Parse3164(span, facility, severity, problems, arrival, zone);
    }

    /// <summary>Writes <paramref name="message"/> as an RFC 5424 line (the inverse of <see cref="Parse"/> for such lines).</summary>
    public static string Format5424(SyslogMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var builder = new StringBuilder();
        builder.Append('<').Append(((message.Facility ?? 1) * 8) + (message.Severity ?? 5)).Append(">1 ");
        builder.Append(message.Timestamp is { } t ? t.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffffzzz", CultureInfo.InvariantCulture) : "-");
        builder.Append(' ').Append(message.Hostname ?? "-").Append(' ').Append(message.AppName ?? "-");
        builder.Append(' ').Append(message.ProcId ?? "-").Append(' ').Append(message.MsgId ?? "-").Append(' ');
        if (message.StructuredData.Count == 0)
        {
            builder.Append('-');
        }

        foreach (var element in message.StructuredData)
        {
            builder.Append('[').Append(element.Id);
            foreach (var (name, value) in element.Parameters)
            {
                builder.Append(' ').Append(name).Append("=\"");
                foreach (var c in value)
                {
                    if (c is '"' or '\\' or ']')
                    {
                        builder.Append('\\');
                    }

                    builder.Append(c);
                }

                builder.Append('"');
            }

            builder.Append(']');
        }

        if (message.Message.Length > 0)
        {
            builder.Append(' ').Append(message.Message);
        }

        return builder.ToString();
    }

    private static bool TryReadPri(ReadOnlySpan<char> span, out int pri, out int length, out bool bad)
    {
        pri = 0;
        length = 0;
        bad = false;
        if (span.Length < 3 || span[0] != '<')
        {
            return false;
        }

        var close = span[..Math.Min(span.Length, 5)].IndexOf('>');
        if (close < 2 || !int.TryParse(span[1..close], NumberStyles.None, CultureInfo.InvariantCulture, out pri) || pri > MaxPri
            || (close > 2 && span[1] == '0'))
        {
            bad = true;
            return false;
        }

        length = close + 1;
        return true;
    }

    private static SyslogMessage Parse5424(ReadOnlySpan<char> span, int? facility, int? severity, SyslogProblems problems)
    {
        var fields = new string?[5];
        for (var i = 0; i < fields.Length; i++)
        {
            var space = span.IndexOf(' ');
            if (space <= 0)
            {
                // Note: a header cut short: what was read is kept, the rest is the message.
                return new SyslogMessage
                {
                    Format = SyslogFormat.Rfc5424, Problems = problems | SyslogProblems.BadHeader, Facility = facility, Severity = severity,
                    Hostname = fields[1], AppName = fields[2], ProcId = fields[3], Message = span.ToString(),
                };
            }

            var token = span[..space];
            fields[i] = token is "-" ? null : token.ToString();
            span = span[(space + 1)..];
        }

        DateTimeOffset? timestamp = null;
        if (fields[0] is { } stamp)
        {
            if (TryReadIso(stamp, out var parsed))
            {
                timestamp = parsed;
            }
            else
            {
                problems |= SyslogProblems.BadTimestamp;
            }
        }

        if (!Fits(fields[1], MaxHostname) || !Fits(fields[2], MaxAppName) || !Fits(fields[3], MaxProcId) || !Fits(fields[4], MaxMsgId))
        {
            problems |= SyslogProblems.BadHeader;
        }

        var structured = new List<StructuredDataElement>();
        if (span.Length > 0 && span[0] == '-')
        {
            span = span[1..];
        }
        else if (!TryReadStructuredData(ref span, structured))
        {
            problems |= SyslogProblems.BadStructuredData;
            structured.Clear();
        }
        else if (structured.Count == 0)
        {
            problems |= SyslogProblems.BadStructuredData;
        }

        if (span.Length > 0 && span[0] == ' ')
        {
            span = span[1..];
        }

        // Note: RFC 5424 marks a UTF-8 message with a BOM; it is not part of the text.
        if (span.Length > 0 && span[0] == '\uFEFF')
        {
            span = span[1..];
        }

        return new SyslogMessage
        {
            Format = SyslogFormat.Rfc5424, Problems = problems, Facility = facility, Severity = severity, Timestamp = timestamp,
            Hostname = fields[1], AppName = fields[2], ProcId = fields[3], MsgId = fields[4], StructuredData = structured, Message = span.ToString(),
        };
    }

    private static bool Fits(string? value, int max) => value is null || (value.Length <= max && value.All(c => c is > ' ' and <= '~'));

    /// <summary>Reads SD-ELEMENTs; on malformed data leaves <paramref name="span"/> where it was and returns false.</summary>
    private static bool TryReadStructuredData(ref ReadOnlySpan<char> span, List<StructuredDataElement> elements)
    {
        var s = span;
        while (s.Length > 0 && s[0] == '[')
        {
            s = s[1..];
            var idEnd = s.IndexOfAny(' ', ']');
            if (idEnd <= 0 || !IsSdName(s[..idEnd]))
            {
                return false;
            }

            var id = s[..idEnd].ToString();
            s = s[idEnd..];
            var parameters = new List<KeyValuePair<string, string>>();
            while (s.Length > 0 && s[0] == ' ')
            {
                s = s[1..];
                var eq = s.IndexOf('=');
                if (eq <= 0 || !IsSdName(s[..eq]) || s.Length < eq + 2 || s[eq + 1] != '"')
                {
                    return false;
                }

                var name = s[..eq].ToString();
                s = s[(eq + 2)..];
                var value = new StringBuilder();
                var closed = false;
                while (s.Length > 0)
                {
                    var c = s[0];
                    s = s[1..];
                    if (c == '\\' && s.Length > 0 && s[0] is '"' or '\\' or ']')
                    {
                        value.Append(s[0]);
                        s = s[1..];
                    }
                    else if (c == '"')
                    {
                        closed = true;
                        break;
                    }
                    else
                    {
                        value.Append(c);
                    }
                }

                if (!closed)
                {
                    return false;
                }

                parameters.Add(new(name, value.ToString()));
            }

            if (s.Length == 0 || s[0] != ']')
            {
                return false;
            }

            s = s[1..];
            elements.Add(new StructuredDataElement(id, parameters));
        }

        if (s.Length > 0 && s[0] != ' ')
        {
            return false;
        }

        span = s;
        return true;
    }

    private static bool IsSdName(ReadOnlySpan<char> name)
    {
        if (name.Length is 0 or > MaxSdName)
        {
            return false;
        }

        foreach (var c in name)
        {
            if (c is <= ' ' or > '~' or '=' or ']' or '"')
            {
                return false;
            }
        }

        return true;
    }

    private static SyslogMessage Parse3164(
        ReadOnlySpan<char> span, int? facility, int? severity, SyslogProblems problems, DateTimeOffset arrival, TimeZoneInfo zone)
    {
        var format = facility is null ? SyslogFormat.None : SyslogFormat.Rfc3164;
        DateTimeOffset? timestamp = null;
        string? hostname = null;
        if (TryReadBsdTimestamp(ref span, arrival, zone, out var bsd) || TryReadIsoToken(ref span, out bsd))
        {
            timestamp = bsd;
            format = SyslogFormat.Rfc3164;

            // Note: after a timestamp comes the hostname, unless the next word is already the tag ("sshd[1]:", "su:").
            var word = NextWord(span);
            if (word.Length > 0 && word.Length <= MaxHostname && word[^1] != ':' && word.IndexOf('[') < 0 && span.Length > word.Length)
            {
                hostname = word.ToString();
                span = span[(word.Length + 1)..];
            }
        }
        else if (facility is not null)
        {
            // Note: PRI but no timestamp RFC 3164 says the receiver adds one; we keep the arrival time instead.
            problems |= SyslogProblems.BadTimestamp;
        }

        string? program = null, pid = null;
        var tag = NextWord(span);
        if (tag.Length is > 1 and <= MaxTag && tag[^1] == ':')
        {
            var name = tag[..^1];
            var open = name.IndexOf('[');
            if (open > 0 && name[^1] == ']')
            {
                program = name[..open].ToString();
                pid = name[(open + 1)..^1].ToString();
            }
            else if (open < 0)
            {
                program = name.ToString();
            }

            if (program is not null)
            {
                span = span.Length > tag.Length ? span[(tag.Length + 1)..] : [];
                format = format == SyslogFormat.None ? SyslogFormat.Rfc3164 : format;
            }
        }

        return new SyslogMessage
        {
            Format = format, Problems = problems, Facility = facility, Severity = severity, Timestamp = timestamp, Hostname = hostname,
            AppName = program, ProcId = pid, Message = span.ToString(),
        };
    }

    private static ReadOnlySpan<char> NextWord(ReadOnlySpan<char> span)
    {
        var space = span.IndexOf(' ');
        return space < 0 ? span : span[..space];
    }

    /// <summary>Reads <c>Mmm dd hh:mm:ss</c> (dd space-padded or not), an optional fraction, an optional year, and the space after.</summary>
    private static bool TryReadBsdTimestamp(ref ReadOnlySpan<char> span, DateTimeOffset arrival, TimeZoneInfo zone, out DateTimeOffset timestamp)
    {
        timestamp = default;
        var s = span;
        if (s.Length > 0 && s[0] == '*')
        {
            s = s[1..]; // Cisco marks an unsynchronised clock with '*'.
        }

        if (s.Length < 15 || s[3] != ' ')
        {
            return false;
        }

        var month = 0;
        for (var m = 0; m < Months.Length && month == 0; m++)
        {
            month = s[..3].Equals(Months[m], StringComparison.OrdinalIgnoreCase) ? m + 1 : 0;
        }

        if (month == 0)
        {
            return false;
        }

        s = s[4..];
        if (s[0] == ' ')
        {
            s = s[1..];
        }

        var dayEnd = s.IndexOf(' ');
        if (dayEnd is < 1 or > 2 || !int.TryParse(s[..dayEnd], NumberStyles.None, CultureInfo.InvariantCulture, out var day))
        {
            return false;
        }

        s = s[(dayEnd + 1)..];
        int? year = null;
        if (s.Length >= 5 && s[4] == ' ' && int.TryParse(s[..4], NumberStyles.None, CultureInfo.InvariantCulture, out var y))
        {
            year = y;
            s = s[5..];
        }

        if (s.Length < 8 || s[2] != ':' || s[5] != ':'
            || !int.TryParse(s[..2], NumberStyles.None, CultureInfo.InvariantCulture, out var hour)
            || !int.TryParse(s[3..5], NumberStyles.None, CultureInfo.InvariantCulture, out var minute)
            || !int.TryParse(s[6..8], NumberStyles.None, CultureInfo.InvariantCulture, out var second))
        {
            return false;
        }

        s = s[8..];
        var ticks = 0L;
        if (s.Length > 1 && s[0] == '.')
        {
            var digits = 1;
            while (digits < s.Length && char.IsAsciiDigit(s[digits]))
            {
                digits++;
            }

            var fraction = s[1..Math.Min(digits, 8)];
            ticks = long.Parse(fraction, NumberStyles.None, CultureInfo.InvariantCulture) * (long)Math.Pow(10, 7 - fraction.Length);
            s = s[digits..];
        }

        if (year is null && s.Length >= 5 && s[0] == ' ' && int.TryParse(s[1..5], NumberStyles.None, CultureInfo.InvariantCulture, out var y2)
            && (s.Length == 5 || s[5] == ' '))
        {
            year = y2;
            s = s[5..];
        }

        if (s.Length > 0 && s[0] == ':')
        {
            s = s[1..]; // Cisco: "*Mar  1 18:46:11.123: %SYS-5-CONFIG_I".
        }

        if (s.Length > 0 && s[0] != ' ')
        {
            return false;
        }

        if (hour > 23 || minute > 59 || second > 60 || day < 1 || day > 31)
        {
            return false;
        }

        var local = arrival.ToOffset(zone.GetUtcOffset(arrival));
        var chosen = year ?? local.Year;
        if (year is null && ToTimestamp(chosen, month, day, hour, minute, second, ticks, zone) is { } guess)
        {
            // Note: without a year, the date is this year's unless that is more than a week ahead of the arrival (a
            // clock is rarely that far off; December's logs read in January are last year's) or more than eleven months
            // behind it (January's logs read in late December are next year's).
            chosen = guess - arrival > TimeSpan.FromDays(7) ? chosen - 1 : arrival - guess > TimeSpan.FromDays(335) ? chosen + 1 : chosen;
        }

        if (ToTimestamp(chosen, month, day, hour, minute, second, ticks, zone) is not { } value)
        {
            return false;
        }

        timestamp = value;
        span = s.Length > 0 ? s[1..] : s;
        return true;
    }

    private static DateTimeOffset? ToTimestamp(int year, int month, int day, int hour, int minute, int second, long ticks, TimeZoneInfo zone)
    {
        if (year is < 1 or > 9998 || day > DateTime.DaysInMonth(year, month))
        {
            return null;
        }

        // Note: a leap second (:60) is kept as :59.
        var wall = new DateTime(year, month, day, hour, minute, Math.Min(second, 59), DateTimeKind.Unspecified).AddTicks(ticks);
        return new DateTimeOffset(wall, zone.GetUtcOffset(wall));
    }

    /// <summary>Reads an ISO 8601 timestamp word (rsyslog's forwarding format puts one in a BSD header).</summary>
    private static bool TryReadIsoToken(ref ReadOnlySpan<char> span, out DateTimeOffset timestamp)
    {
        timestamp = default;
        var word = NextWord(span);
        if (word.Length < 19 || word[4] != '-' || word[10] != 'T' || !TryReadIso(word.ToString(), out timestamp))
        {
            return false;
        }

        span = span.Length > word.Length ? span[(word.Length + 1)..] : [];
        return true;
    }

    private static bool TryReadIso(string text, out DateTimeOffset value) =>
        text.Length >= 19 && text[4] == '-' && text[10] == 'T'
        && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out value)
        || Fail(out value);

    private static bool Fail(out DateTimeOffset value)
    {
        value = default;
        return false;
    }
}
