namespace Spbe.Security.Soc.Incidents;

/// <summary>
/// Where an incident is in the CSIRT's workflow: Baru → Triase → Penanganan → Pemulihan → Selesai, or closed early as a
/// false positive or a duplicate. The numbers are stored; do not renumber.
/// </summary>
public enum IncidentStatus
{
    /// <summary>New: raised by the rules, nobody has looked at it yet.</summary>
    Baru = 0,

    /// <summary>Triage: acknowledged; being assessed.</summary>
    Triase = 1,

    /// <summary>Handling: containment and eradication under way.</summary>
    Penanganan = 2,

    /// <summary>Recovery: services being restored and watched.</summary>
    Pemulihan = 3,

    /// <summary>Closed: handled.</summary>
    Selesai = 4,

    /// <summary>Closed: not an incident (false positive).</summary>
    PositifPalsu = 5,

    /// <summary>Closed: the same incident as another one.</summary>
    Duplikat = 6,
}

/// <summary>What the workflow allows.</summary>
public static class IncidentStatuses
{
    /// <summary>Whether <paramref name="status"/> closes the incident.</summary>
    public static bool IsClosed(this IncidentStatus status) => status >= IncidentStatus.Selesai;

    /// <summary>The label the console shows.</summary>
    public static string Label(this IncidentStatus status) => status switch
    {
        IncidentStatus.Baru => "Baru",
        IncidentStatus.Triase => "Triase",
        IncidentStatus.Penanganan => "Penanganan",
        IncidentStatus.Pemulihan => "Pemulihan",
        IncidentStatus.Selesai => "Selesai",
        IncidentStatus.PositifPalsu => "Positif palsu",
        IncidentStatus.Duplikat => "Duplikat",
        _ => status.ToString(),
    };

    /// <summary>
    /// Whether an incident may go from <paramref name="from"/> to <paramref name="to"/>: forward through the workflow
    /// (steps may be skipped), to a closure from any open status, and from a closure back to Triase (reopened).
    /// </summary>
    public static bool CanMove(IncidentStatus from, IncidentStatus to) =>
        Enum.IsDefined(to) && from != to && (from.IsClosed() ? to == IncidentStatus.Triase : to > from);
}
