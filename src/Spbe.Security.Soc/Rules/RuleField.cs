namespace Spbe.Security.Soc.Rules;

/// <summary>The event values a rule can test with a pattern element, in the order Wazuh tests them.</summary>
internal enum RuleField
{
    ProgramName,
    Id,
    SystemName,
    Protocol,
    Match,
    Regex,
    Action,
    Url,
    Location,
    SrcPort,
    DstPort,
    User,
    SrcGeoIp,
    DstGeoIp,
    Data,
    ExtraData,
    Hostname,
    Status,
}
