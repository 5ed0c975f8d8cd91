namespace Spbe.Security.Soc.Parsing;

/// <summary>One RFC 5424 SD-ELEMENT: an id such as <c>origin</c> or <c>timeQuality</c> and its parameters, in order
/// (a parameter name may repeat).</summary>
public sealed record StructuredDataElement(string Id, IReadOnlyList<KeyValuePair<string, string>> Parameters);
