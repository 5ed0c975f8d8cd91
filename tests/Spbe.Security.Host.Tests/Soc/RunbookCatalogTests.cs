using Spbe.Security.Soc.Ruleset;
using Spbe.Security.Testing;

namespace Spbe.Security.Host.Soc;

/// <summary>Every incident type the city's rules raise links to the runbook that handles it; runbooks render safely.</summary>
public sealed class RunbookCatalogTests
{
    private static readonly RunbookCatalog Catalog = new(Path.Combine(RepositoryPaths.Root, "runbooks"));

    [Theory]
    [InlineData(100102, "insiden-brute-force")]
    [InlineData(100122, "insiden-brute-force")]
    [InlineData(100130, "insiden-brute-force")]
    [InlineData(100104, "insiden-brute-force")]
    [InlineData(100107, "insiden-brute-force")]
    [InlineData(100103, "insiden-password-spraying")]
    [InlineData(100142, "insiden-serangan-web")]
    [InlineData(100143, "insiden-serangan-web")]
    [InlineData(100151, "insiden-defacement")]
    [InlineData(100152, "insiden-defacement")]
    [InlineData(100156, "insiden-malware")]
    [InlineData(100109, "insiden-tanda-tangan")]
    [InlineData(100110, "insiden-tanda-tangan")]
    [InlineData(100112, "insiden-tanda-tangan")]
    [InlineData(100145, "insiden-kebocoran-data")]
    [InlineData(100147, "insiden-kebocoran-data")]
    public void EachIncidentRule_LinksItsRunbook(int ruleId, string runbook)
    {
        var rule = SocRuleset.Load([Path.Combine(RepositoryPaths.Policies, "soc")], TimeZoneInfo.Utc).Rules.Find(ruleId)!;
        Assert.True(rule.Level >= Spbe.Security.Soc.SocDefaults.IncidentMinLevel, $"rule {ruleId} makes no incident");
        var found = Catalog.For(string.Join(' ', rule.Groups));
        Assert.Equal(runbook, found?.Name);
        Assert.Contains(ruleId.ToString(System.Globalization.CultureInfo.InvariantCulture), found!.Html, StringComparison.Ordinal);
    }

    [Fact]
    public void Runbooks_RenderTheirMarkdown_ButNotRawHtml()
    {
        using var temp = new TempDirectory();
        File.WriteAllText(Path.Combine(temp.Path, "uji.md"), "<!-- menangani: uji_grup -->\n# Judul uji\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n<script>alert(1)</script>\n");
        var rb = new RunbookCatalog(temp.Path).Find("uji")!;
        Assert.Equal("Judul uji", rb.Title);
        Assert.Equal(["uji_grup"], rb.Handles);
        Assert.Contains("<table>", rb.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", rb.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("menangani", rb.Html, StringComparison.Ordinal);
        Assert.Null(new RunbookCatalog(Path.Combine(temp.Path, "tidak-ada")).Find("uji"));
        Assert.Null(Catalog.For("tidak_dikenal lain"));
    }
}
