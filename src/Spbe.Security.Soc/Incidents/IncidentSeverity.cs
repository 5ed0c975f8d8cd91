namespace Spbe.Security.Soc.Incidents;

/// <summary>An incident's severity; derived from the highest rule level among its alerts until an analyst sets it. The
/// numbers are stored and ordered; do not renumber.</summary>
public enum IncidentSeverity
{
    /// <summary>Low: rule levels below 7.</summary>
    Rendah = 0,

    /// <summary>Medium: levels 7 to 9.</summary>
    Sedang = 1,

    /// <summary>High: levels 10 to 12.</summary>
    Tinggi = 2,

    /// <summary>Critical: levels 13 and above.</summary>
    Kritis = 3,
}

/// <summary>Severity from rule levels.</summary>
public static class IncidentSeverities
{
    /// <summary>The severity of a rule level (0 to 16).</summary>
    public static IncidentSeverity FromLevel(int level) => level switch
    {
        >= 13 => IncidentSeverity.Kritis,
        >= 10 => IncidentSeverity.Tinggi,
        >= 7 => IncidentSeverity.Sedang,
        _ => IncidentSeverity.Rendah,
    };

    /// <summary>The label the console shows.</summary>
    public static string Label(this IncidentSeverity severity) => severity switch
    {
        IncidentSeverity.Rendah => "Rendah",
        IncidentSeverity.Sedang => "Sedang",
        IncidentSeverity.Tinggi => "Tinggi",
        IncidentSeverity.Kritis => "Kritis",
        _ => severity.ToString(),
    };
}
