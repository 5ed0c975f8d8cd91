namespace Spbe.Security.Soc.Decoding;

/// <summary>The fields Wazuh keeps apart from the dynamic ones (decoder <c>order</c> names and rule elements).</summary>
public enum StaticField
{
    /// <summary><c>srcip</c>.</summary>
    SrcIp,

    /// <summary><c>dstip</c>.</summary>
    DstIp,

    /// <summary><c>srcport</c>.</summary>
    SrcPort,

    /// <summary><c>dstport</c>.</summary>
    DstPort,

    /// <summary><c>protocol</c>.</summary>
    Protocol,

    /// <summary><c>action</c>.</summary>
    Action,

    /// <summary><c>srcuser</c>.</summary>
    SrcUser,

    /// <summary><c>dstuser</c> (also <c>user</c> in a decoder's order).</summary>
    DstUser,

    /// <summary><c>id</c>.</summary>
    Id,

    /// <summary><c>status</c>.</summary>
    Status,

    /// <summary><c>url</c>.</summary>
    Url,

    /// <summary><c>data</c>.</summary>
    Data,

    /// <summary><c>extra_data</c>.</summary>
    ExtraData,

    /// <summary><c>system_name</c>.</summary>
    SystemName,
}
