namespace Spbe.Security.Soc.Decoding;

/// <summary>One <c>&lt;decoder&gt;</c> of a ruleset, as loaded.</summary>
public sealed class Decoder
{
    internal Decoder(string name, string file, int line)
    {
        Name = name;
        OwnName = name;
        File = file;
        Line = line;
    }

    /// <summary>The name events report: the parent's for a child without <c>use_own_name</c>.</summary>
    public string Name { get; internal set; }

    /// <summary>The name written in the file.</summary>
    public string OwnName { get; }

    /// <summary>The parent's name, for a child.</summary>
    public string? Parent { get; internal set; }

    /// <summary>The file it comes from.</summary>
    public string File { get; }

    /// <summary>The line of its <c>&lt;decoder&gt;</c>.</summary>
    public int Line { get; }

    /// <summary>The rule category it gives events (<c>type</c>: syslog, firewall, ids, web-log, squid, windows,
    /// host-information, ossec).</summary>
    public string Type { get; internal set; } = "syslog";

    /// <summary>Whether a child keeps its own name.</summary>
    public bool UseOwnName { get; internal set; }

    /// <summary>Fields the first-time-seen key uses.</summary>
    public IReadOnlyList<string> Fts { get; internal set; } = [];

    /// <summary>The <c>ftscomment</c>.</summary>
    public string? FtsComment { get; internal set; }

    internal Pattern? ProgramName { get; set; }

    internal Pattern? Prematch { get; set; }

    internal DecoderOffset PrematchOffset { get; set; }

    internal Pattern? Regex { get; set; }

    internal DecoderOffset RegexOffset { get; set; }

    internal IReadOnlyList<string> Order { get; set; } = [];

    internal string? Plugin { get; set; }

    internal DecoderOffset PluginOffset { get; set; }

    internal bool JsonNullDiscard { get; set; }

    internal bool JsonArrayCsv { get; set; }

    internal bool HasProgramNameElement { get; set; }

    /// <summary>Whether the next sibling continues this one (same-named siblings form a chain).</summary>
    internal bool GetNext { get; set; }

    internal List<Decoder> Children { get; } = [];

    /// <inheritdoc />
    public override string ToString() => OwnName;
}
