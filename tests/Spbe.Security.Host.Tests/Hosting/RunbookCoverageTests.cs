using System.Text.RegularExpressions;
using Spbe.Security.Testing;

namespace Spbe.Security.Host.Hosting;

/// <summary>Every stable code the product can report is explained in a runbook (an operator reading "KODE: alasan" in
/// a log must find the page).</summary>
public sealed partial class RunbookCoverageTests
{
    [Fact]
    public void Every_error_code_defined_in_the_sources_appears_in_a_runbook()
    {
        var defined = Directory.EnumerateFiles(Path.Combine(RepositoryPaths.Root, "src"), "*.cs", SearchOption.AllDirectories)
            .SelectMany(f => CodeConstant().Matches(File.ReadAllText(f)).Select(m => m.Groups[1].Value))
            .ToHashSet(StringComparer.Ordinal);
        var documented = string.Concat(Directory.EnumerateFiles(Path.Combine(RepositoryPaths.Root, "runbooks"), "*.md").Select(File.ReadAllText));
        var ranges = RangeMention().Matches(documented).Select(m => (Prefix: m.Groups[1].Value, From: int.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture),
            To: int.Parse(m.Groups[4].Value, System.Globalization.CultureInfo.InvariantCulture))).ToList();

        bool Documented(string code)
        {
            var prefix = code[..code.IndexOf('-', StringComparison.Ordinal)];
            var number = int.Parse(code[(prefix.Length + 1)..], System.Globalization.CultureInfo.InvariantCulture);
            return documented.Contains($"`{code}`", StringComparison.Ordinal) || ranges.Any(r => r.Prefix == prefix && number >= r.From && number <= r.To);
        }

        Assert.True(defined.Count > 50, $"only {defined.Count} codes found: the pattern no longer matches the sources");
        Assert.Empty(defined.Where(c => !Documented(c)).Order(StringComparer.Ordinal));
    }

    [GeneratedRegex("const string \\w+ = \"([A-Z]{2,5}-\\d{4})\"")]
    private static partial Regex CodeConstant();

    [GeneratedRegex("`([A-Z]{2,5})-(\\d{4})`\\.\\.`([A-Z]{2,5})-(\\d{4})`")]
    private static partial Regex RangeMention();
}
