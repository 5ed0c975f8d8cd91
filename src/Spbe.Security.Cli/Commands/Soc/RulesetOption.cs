using System.CommandLine;
using Spbe.Security.Data;
using Spbe.Security.Policies;
using Spbe.Security.Soc;
using Spbe.Security.Soc.Ruleset;

namespace Spbe.Security.Cli.Commands.Soc;

/// <summary><c>--ruleset DIR</c> (repeatable): Wazuh-layout or flat ruleset directories, loaded in the order given;
/// without it, the SOC policies (<c>policies/soc</c>).</summary>
internal static class RulesetOption
{
    public static Option<DirectoryInfo[]> Create() => new("--ruleset")
    {
        Description = "A ruleset directory (decoders/, rules/, lists/, or *_decoders.xml and *_rules.xml); repeat to add more, loaded in order",
        HelpName = "DIR",
        AllowMultipleArgumentsPerToken = false,
    };

    /// <summary>Loads the ruleset; load problems are written as coded warnings on stderr. Null when a directory is missing.</summary>
    public static SocRuleset? Load(DirectoryInfo[]? directories, CliOutput output)
    {
        var paths = directories is { Length: > 0 } given
            ? given.Select(d => d.FullName).ToList()
            : [Path.Combine(PolicyDirectory.Resolve(new SpbeOptions()).Root, "soc")];
        if (paths.FirstOrDefault(p => !Directory.Exists(p)) is { } missing)
        {
            output.Fail(SocErrors.RulesetNotFound, $"no ruleset directory {missing}");
            return null;
        }

        var ruleset = SocRuleset.Load(paths);
        foreach (var problem in ruleset.Problems)
        {
            output.Fail(SocErrors.RulesetProblem, problem.ToString());
        }

        return ruleset;
    }
}
