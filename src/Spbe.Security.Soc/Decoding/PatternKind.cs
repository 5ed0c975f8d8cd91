namespace Spbe.Security.Soc.Decoding;

/// <summary>The pattern languages of Wazuh decoders and rules (their <c>type</c> attribute).</summary>
public enum PatternKind
{
    /// <summary>Wazuh's regular expressions (<see cref="OsRegex"/>).</summary>
    OsRegex,

    /// <summary>Wazuh's string matching (<see cref="OsMatch"/>).</summary>
    OsMatch,

    /// <summary>PCRE2, run by .NET's engine after rewriting the constructs that differ (<see cref="Pcre2Pattern"/>).</summary>
    Pcre2,

    /// <summary>Exact, case-sensitive equality (the default of a rule's <c>action</c>).</summary>
    String,
}
