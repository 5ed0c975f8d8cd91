namespace Spbe.Security.Identity.Organizations;

/// <summary>The kind of a regional government agency (perangkat daerah), as the city's organisation chart names it.</summary>
public enum OpdKind
{
    /// <summary>Sekretariat Daerah or Sekretariat DPRD.</summary>
    Sekretariat,

    /// <summary>Inspektorat Daerah.</summary>
    Inspektorat,

    /// <summary>A dinas (service agency).</summary>
    Dinas,

    /// <summary>A badan (board).</summary>
    Badan,

    /// <summary>A satuan (unit), e.g. Satpol PP.</summary>
    Satuan,

    /// <summary>A kecamatan (district office).</summary>
    Kecamatan,
}
