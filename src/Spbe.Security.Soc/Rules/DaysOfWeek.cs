namespace Spbe.Security.Soc.Rules;

/// <summary>A rule's <c>weekday</c>: day names (full or three letters), <c>weekdays</c>, <c>weekends</c>.</summary>
internal sealed class DaysOfWeek
{
    private static readonly (string Name, DayOfWeek[] Days)[] Names =
    [
        ("sunday", [DayOfWeek.Sunday]), ("sun", [DayOfWeek.Sunday]), ("monday", [DayOfWeek.Monday]), ("mon", [DayOfWeek.Monday]),
        ("tuesday", [DayOfWeek.Tuesday]), ("tue", [DayOfWeek.Tuesday]), ("wednesday", [DayOfWeek.Wednesday]), ("wed", [DayOfWeek.Wednesday]),
        ("thursday", [DayOfWeek.Thursday]), ("thu", [DayOfWeek.Thursday]), ("friday", [DayOfWeek.Friday]), ("fri", [DayOfWeek.Friday]),
        ("saturday", [DayOfWeek.Saturday]), ("sat", [DayOfWeek.Saturday]),
        ("weekdays", [DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday]),
        ("weekends", [DayOfWeek.Saturday, DayOfWeek.Sunday]),
    ];

    private readonly HashSet<DayOfWeek> _days;

    private DaysOfWeek(HashSet<DayOfWeek> days) => _days = days;

    public static DaysOfWeek? Parse(string text)
    {
        var days = new HashSet<DayOfWeek>();
        foreach (var token in text.Split([',', ' '], StringSplitOptions.RemoveEmptyEntries))
        {
            var match = Names.FirstOrDefault(n => string.Equals(n.Name, token, StringComparison.OrdinalIgnoreCase));
            if (match.Name is null)
            {
                return null;
            }

            days.UnionWith(match.Days);
        }

        return days.Count == 0 ? null : new DaysOfWeek(days);
    }

    public bool Contains(DateTimeOffset localTime) => _days.Contains(localTime.DayOfWeek);
}
