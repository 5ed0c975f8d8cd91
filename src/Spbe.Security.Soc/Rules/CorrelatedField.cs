namespace Spbe.Security.Soc.Rules;

/// <summary>Static fields a correlation rule wants the same in (<c>same_*</c>) or different in (<c>different_*</c>)
/// the earlier events.</summary>
[Flags]
internal enum CorrelatedField
{
    None = 0,
    SrcIp = 1,
    Id = 2,
    DstIp = 4,
    SrcPort = 8,
    DstPort = 16,
    SrcUser = 32,
    DstUser = 64,
    Protocol = 128,
    Action = 256,
    Url = 512,
    Data = 1024,
    ExtraData = 2048,
    Status = 4096,
    SystemName = 8192,
    SrcGeoIp = 16384,
    DstGeoIp = 32768,
    Location = 65536,
}
