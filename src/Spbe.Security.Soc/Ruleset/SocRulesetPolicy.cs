using Spbe.Security.Policies;

namespace Spbe.Security.Soc.Ruleset;

/// <summary><c>policies/soc/decoders</c>, <c>rules</c> and <c>lists</c>: the city's own detection ruleset, in Wazuh's
/// format. Checked at start like every policy file: a decoder or rule that does not load stops the host.</summary>
public sealed class SocRulesetPolicy(PolicyDirectory directory) : IPolicySource
{
    private SocRuleset? _ruleset;

    /// <inheritdoc />
    public string Name => "soc/ruleset";

    /// <inheritdoc />
    public IReadOnlyList<string> Files { get; } = ["soc/decoders/*.xml", "soc/rules/*.xml", "soc/lists/*"];

    /// <summary>The loaded ruleset.</summary>
    public SocRuleset Ruleset => _ruleset ?? (Load() is { Count: > 0 } errors ? throw new PolicyException(errors) : _ruleset!);

    /// <inheritdoc />
    public IReadOnlyList<PolicyError> Load()
    {
        // Note: a policies directory without soc/ simply has no rules of its own.
        var soc = Path.Combine(directory.Root, "soc");
        var ruleset = SocRuleset.Load(Directory.Exists(soc) ? [soc] : []);
        var errors = ruleset.Problems.Select(p => new PolicyError("soc/" + p.File, p.Line, 0, PolicyErrors.Invalid, $"{SocErrors.RulesetProblem} {p.Message}")).ToList();
        if (errors.Count == 0)
        {
            _ruleset = ruleset;
        }

        return errors;
    }
}
