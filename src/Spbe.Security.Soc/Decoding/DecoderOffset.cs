namespace Spbe.Security.Soc.Decoding;

/// <summary>Where a decoder's prematch, regex or plugin starts reading (the <c>offset</c> attribute).</summary>
public enum DecoderOffset
{
    /// <summary>The start of the log.</summary>
    None,

    /// <summary>After what the parent matched.</summary>
    AfterParent,

    /// <summary>After this decoder's prematch.</summary>
    AfterPrematch,

    /// <summary>After the previous regex of this decoding.</summary>
    AfterRegex,
}
