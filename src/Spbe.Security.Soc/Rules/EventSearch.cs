namespace Spbe.Security.Soc.Rules;

/// <summary>Which earlier events a correlation rule looks at.</summary>
internal enum EventSearch
{
    None,

    /// <summary>Those whose final rule was <c>if_matched_sid</c>.</summary>
    Sids,

    /// <summary>Those whose final rule's groups matched <c>if_matched_group</c>.</summary>
    Groups,

    /// <summary>All recent events whose log matches <c>if_matched_regex</c>.</summary>
    Events,
}
