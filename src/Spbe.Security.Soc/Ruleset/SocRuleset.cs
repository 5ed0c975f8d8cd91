using Spbe.Security.Soc.Correlation;
using Spbe.Security.Soc.Decoding;
using Spbe.Security.Soc.Rules;

namespace Spbe.Security.Soc.Ruleset;

/// <summary>
/// Decoders, CDB lists and rules loaded from ruleset directories, each either a Wazuh layout (<c>decoders/</c>,
/// <c>rules/</c>, <c>lists/</c>) or a flat folder of <c>*_decoders.xml</c> and <c>*_rules.xml</c>. Directories load in
/// the order given, files within one in name order (Wazuh's stock set first, then custom files). What could not be
/// loaded is in <see cref="Problems"/>; the rest works.
/// </summary>
public sealed class SocRuleset
{
    private SocRuleset(DecoderSet decoders, RuleSet rules, IReadOnlyList<RulesetProblem> problems)
    {
        Decoders = decoders;
        Rules = rules;
        Problems = problems;
    }

    /// <summary>The decoders.</summary>
    public DecoderSet Decoders { get; }

    /// <summary>The rule tree.</summary>
    public RuleSet Rules { get; }

    /// <summary>What could not be loaded, by file and line.</summary>
    public IReadOnlyList<RulesetProblem> Problems { get; }

    /// <summary>Loads <paramref name="directories"/> in order; rule <c>time</c> and <c>weekday</c> read arrival times in
    /// <paramref name="zone"/> (the machine's by default).</summary>
    public static SocRuleset Load(IEnumerable<string> directories, TimeZoneInfo? zone = null)
    {
        ArgumentNullException.ThrowIfNull(directories);
        var decoderFiles = new List<string>();
        var ruleFiles = new List<string>();
        var lists = new Dictionary<string, CdbList>(StringComparer.Ordinal);
        var problems = new List<RulesetProblem>();
        foreach (var directory in directories)
        {
            if (!Directory.Exists(directory))
            {
                problems.Add(new RulesetProblem(directory, 0, "no such directory"));
                continue;
            }

            var layout = Directory.Exists(Path.Combine(directory, "decoders")) || Directory.Exists(Path.Combine(directory, "rules"));
            decoderFiles.AddRange(Files(layout ? Path.Combine(directory, "decoders") : directory, layout ? "*.xml" : "*_decoders.xml"));
            ruleFiles.AddRange(Files(layout ? Path.Combine(directory, "rules") : directory, layout ? "*.xml" : "*_rules.xml"));
            var listRoot = Path.Combine(directory, "lists");
            if (Directory.Exists(listRoot))
            {
                foreach (var file in Directory.EnumerateFiles(listRoot, "*", SearchOption.AllDirectories).Where(f => Path.GetExtension(f) is "" or ".txt"))
                {
                    lists[Path.GetRelativePath(listRoot, file).Replace('\\', '/')] = CdbList.Load(file);
                }
            }
        }

        var decoders = DecoderLoader.Load(decoderFiles, problems);
        var rules = RuleLoader.Load(ruleFiles, decoders, lists, problems, zone ?? TimeZoneInfo.Local);
        return new SocRuleset(decoders, rules, problems);
    }

    /// <summary>Pre-decodes, decodes and evaluates one line.</summary>
    public (AnalysisEvent Event, RuleMatch? Match) Analyze(string line, CorrelationState state, DateTimeOffset arrival, string location = "stdin", string agentId = "000")
    {
        ArgumentNullException.ThrowIfNull(line);
        var e = new AnalysisEvent(PreDecoder.Decode(line), location, agentId, arrival);
        Decoders.Decode(e);
        return (e, Rules.Evaluate(e, state));
    }

    private static IEnumerable<string> Files(string directory, string pattern) =>
        Directory.Exists(directory) ? Directory.GetFiles(directory, pattern).Order(StringComparer.Ordinal) : [];
}
