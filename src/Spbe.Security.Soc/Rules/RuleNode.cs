namespace Spbe.Security.Soc.Rules;

/// <summary>A place of a rule in the tree: the same rule may stand under several parents (several <c>if_sid</c>s,
/// <c>if_group</c>, <c>if_level</c>). Children are kept by priority, highest first (level 0 before everything), then
/// in load order.</summary>
internal sealed class RuleNode(Rule rule)
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, RuleNode[]> _byDecoder = new(StringComparer.Ordinal);

    public Rule Rule { get; } = rule;

    public List<RuleNode> Children { get; } = [];

    /// <summary>The node this one stands under, or null at the top.</summary>
    public RuleNode? Parent { get; private set; }

    /// <summary>The rules anywhere under this node: placing a rule under every node of a given rule, group or level
    /// then only walks the branches that hold one.</summary>
    public HashSet<Rule> Below { get; } = [];

    /// <summary>Places <paramref name="child"/> among this node's children by priority.</summary>
    public void Add(RuleNode child)
    {
        Insert(Children, child);
        child.Parent = this;
        Rule[] rules = [.. child.Below, child.Rule];
        for (var node = this; node is not null; node = node.Parent)
        {
            node.Below.UnionWith(rules);
        }
    }

    /// <summary>The children an event of decoder <paramref name="decoder"/> can match, in order: those without
    /// <c>decoded_as</c> or with that decoder (the others would fail their first test). Kept per decoder name, which
    /// come from the ruleset, so the cache is bounded.</summary>
    public RuleNode[] ChildrenFor(string? decoder) =>
        _byDecoder.GetOrAdd(decoder ?? "", static (name, children) =>
            [.. children.Where(c => c.Rule.DecodedAs is null || string.Equals(c.Rule.DecodedAs, name, StringComparison.Ordinal))], Children);

    /// <summary>Adds <paramref name="child"/> before the first sibling of strictly lower priority.</summary>
    public static void Insert(List<RuleNode> siblings, RuleNode child)
    {
        var at = siblings.FindIndex(s => s.Rule.Priority < child.Rule.Priority);
        siblings.Insert(at < 0 ? siblings.Count : at, child);
    }
}
