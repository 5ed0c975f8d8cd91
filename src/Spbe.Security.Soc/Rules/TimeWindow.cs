using System.Globalization;
using System.Text.RegularExpressions;

namespace Spbe.Security.Soc.Rules;

/// <summary>A rule's <c>time</c>: "6 pm - 8:30 am", "!9:00-17:00"; inclusive at minute resolution on the arrival
/// time. A range that wraps midnight is kept as the negation of the range between its ends, as Wazuh does (so both end
/// minutes fall outside it).</summary>
internal sealed partial class TimeWindow
{
    private readonly string _from;
    private readonly string _to;
    private readonly bool _negated;

    private TimeWindow(string from, string to, bool negated)
    {
        _from = from;
        _to = to;
        _negated = negated;
    }

    public static TimeWindow? Parse(string text)
    {
        var m = Syntax().Match(text.Trim());
        if (!m.Success || Hour(m.Groups[2].Value, m.Groups[3].Value, m.Groups[4].Value) is not { } from
            || Hour(m.Groups[5].Value, m.Groups[6].Value, m.Groups[7].Value) is not { } to)
        {
            return null;
        }

        var negated = m.Groups[1].Success;
        return string.CompareOrdinal(from, to) > 0 ? new TimeWindow(to, from, true) : new TimeWindow(from, to, negated);
    }

    public bool Contains(DateTimeOffset localTime)
    {
        var now = localTime.ToString("HH:mm", CultureInfo.InvariantCulture);
        var inside = string.CompareOrdinal(now, _from) >= 0 && string.CompareOrdinal(now, _to) <= 0;
        return inside != _negated;
    }

    private static string? Hour(string hour, string minutes, string ampm)
    {
        var h = int.Parse(hour, CultureInfo.InvariantCulture);
        var m = minutes.Length == 0 ? 0 : int.Parse(minutes, CultureInfo.InvariantCulture);
        if (string.Equals(ampm, "pm", StringComparison.OrdinalIgnoreCase) && h != 12)
        {
            h += 12;
        }
        else if (string.Equals(ampm, "am", StringComparison.OrdinalIgnoreCase) && h == 12)
        {
            h = 0;
        }

        return h is < 0 or > 23 || m > 59 ? null : string.Create(CultureInfo.InvariantCulture, $"{h:D2}:{m:D2}");
    }

    [GeneratedRegex(@"^(!)?\s*(\d{1,2})(?::(\d\d))?\s*(am|pm)?\s*-\s*(\d{1,2})(?::(\d\d))?\s*(am|pm)?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Syntax();
}
