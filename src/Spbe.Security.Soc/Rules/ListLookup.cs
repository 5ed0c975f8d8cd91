using Spbe.Security.Soc.Decoding;

namespace Spbe.Security.Soc.Rules;

/// <summary>A rule's <c>&lt;list field= lookup= check_value=&gt;</c> condition.</summary>
internal sealed record ListLookup(string Field, string Lookup, OsMatch? CheckValue, CdbList List)
{
    public static readonly string[] Lookups = ["match_key", "not_match_key", "match_key_value", "address_match_key", "not_address_match_key", "address_match_key_value"];

    public bool Holds(AnalysisEvent e)
    {
        if (Value(e) is not { } value)
        {
            return false;
        }

        switch (Lookup)
        {
            case "not_match_key":
                return List.Find(value) is null;
            case "match_key_value":
                return List.Find(value) is { } stored && CheckValue is not null && CheckValue.IsMatch(stored);
            case "address_match_key":
                return AddressKey(value) is not null;
            case "not_address_match_key":
                return AddressKey(value) is null;
            case "address_match_key_value":
                // Note: Wazuh 4.x inverts this lookup's result (a known defect, kept so that rules behave the same).
                return !(AddressKey(value) is { } found && CheckValue is not null && CheckValue.IsMatch(found));
            default:
                return List.Find(value) is not null;
        }
    }

    /// <summary>The value stored for the address or for a dotted prefix of it ("192.168.1.5", then "192.168.1.", "192.168.", "192.").</summary>
    private string? AddressKey(string value)
    {
        if (List.Find(value) is { } exact)
        {
            return exact;
        }

        for (var end = value.Length - 1; end > 0; end--)
        {
            if (value[end - 1] == '.' && List.Find(value[..end]) is { } prefix)
            {
                return prefix;
            }
        }

        return null;
    }

    private string? Value(AnalysisEvent e) => Field switch
    {
        "srcip" => e[StaticField.SrcIp],
        "srcport" => e[StaticField.SrcPort],
        "dstip" => e[StaticField.DstIp],
        "dstport" => e[StaticField.DstPort],
        "user" => e[StaticField.SrcUser] ?? e[StaticField.DstUser],
        "url" => e[StaticField.Url],
        "id" => e[StaticField.Id],
        "hostname" => e.Hostname,
        "program_name" => e.ProgramName,
        "status" => e[StaticField.Status],
        "action" => e[StaticField.Action],
        "protocol" => e[StaticField.Protocol],
        "system_name" => e[StaticField.SystemName],
        "data" => e[StaticField.Data],
        "extra_data" => e[StaticField.ExtraData],
        _ => e.Field(Field.Trim()),
    };
}
