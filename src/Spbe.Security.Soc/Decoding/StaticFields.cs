namespace Spbe.Security.Soc.Decoding;

/// <summary>Names of the static fields as decoders, JSON events and output use them.</summary>
public static class StaticFields
{
    /// <summary>The output name of each field, in <see cref="StaticField"/> order.</summary>
    public static readonly string[] Names =
        ["srcip", "dstip", "srcport", "dstport", "protocol", "action", "srcuser", "dstuser", "id", "status", "url", "data", "extra_data", "system_name"];

    /// <summary>The field a decoder <c>order</c> name sets (exact, case-sensitive; <c>user</c> is <c>dstuser</c>), or
    /// null for a dynamic field.</summary>
    public static StaticField? FromOrderName(string name) => name switch
    {
        "user" => StaticField.DstUser,
        _ => Array.IndexOf(Names, name) is var i and >= 0 ? (StaticField)i : null,
    };

    /// <summary>The field a JSON key sets (exact; <c>systemname</c>, not <c>system_name</c>, is the static one), or null.</summary>
    public static StaticField? FromJsonKey(string key) => key switch
    {
        "systemname" => StaticField.SystemName,
        "system_name" => null,
        _ => Array.IndexOf(Names, key) is var i and >= 0 ? (StaticField)i : null,
    };
}
