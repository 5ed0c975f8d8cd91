using Spbe.Security.Testing;

namespace Spbe.Security.Soc.Ruleset;

public sealed class RulesetXmlTests
{
    [Fact]
    public void Parse_WazuhStyleFile_KeepsTextAsWritten()
    {
        var roots = RulesetXml.Parse("""
            <!-- several top-level elements, no root -->
            <var name="BAD_WORDS">core_dumped|failure</var>
            <decoder name="nginx-naxsi">
              <parent>nginx</parent>
              <regex offset="after_parent">ip=(\S+)&server=(\S+)&</regex>
              <prematch>^\<\d+>\s*id=\w+ </prematch>
              <order>srcip,url</order>
            </decoder>
            <group name='syslog,'>
              <rule id="100" level="3"><field name="dir">E:\\</field><options>no_full_log</options><same_source_ip /></rule>
            </group>
            """, out var error);
        Assert.Null(error);
        Assert.Equal(["var", "decoder", "group"], roots.Select(r => r.Name));
        var decoder = roots[1];
        Assert.Equal("nginx-naxsi", decoder.Attribute("name"));
        Assert.Equal(@"ip=(\S+)&server=(\S+)&", decoder.Children[1].Text);
        Assert.Equal("after_parent", decoder.Children[1].Attribute("offset"));
        Assert.Equal(@"^\<\d+>\s*id=\w+ ", decoder.Children[2].Text);
        var rule = roots[2].Children[0];
        Assert.Equal("syslog,", roots[2].Attribute("name"));
        Assert.Equal(@"E:\\", rule.Children[0].Text);
        Assert.Equal(["field", "options", "same_source_ip"], rule.Children.Select(c => c.Name));
        Assert.Equal(10, rule.Line);
    }

    [Theory]
    [InlineData("<decoder name=\"x\"><regex>a</decoder>", 1)]
    [InlineData("<rule id=\"1\">\n<match>x</match>\n", 1)]
    [InlineData("</rule>", 1)]
    [InlineData("<rule id=1></rule>", 1)]
    [InlineData("<a>\n<b>\n<!-- open comment\n", 3)]
    public void Parse_BrokenFile_ReportsTheLineAndKeepsWhatCameBefore(string text, int line)
    {
        var roots = RulesetXml.Parse("<decoder name=\"ok\"><prematch>x</prematch></decoder>\n" + text, out var error);
        Assert.NotNull(error);
        Assert.Equal(line + 1, error!.Line);
        Assert.Equal("ok", Assert.Single(roots).Attribute("name"));
    }

    [SharedDataFact]
    public void Parse_EveryStockFile_ReadsWithoutError()
    {
        var root = Path.Combine(RepositoryPaths.Shared, "data", "wazuh-4.14.7");
        var files = new[] { "decoders", "rules", "testing-ruleset" }.SelectMany(d => Directory.GetFiles(Path.Combine(root, d), "*.xml")).ToList();
        Assert.True(files.Count > 280, $"{files.Count} files");
        var failures = files.Select(f => (File: Path.GetFileName(f), Roots: RulesetXml.Parse(File.ReadAllText(f), out var e), Error: e))
            .Where(r => r.Error is not null || r.Roots.Count == 0).Select(r => $"{r.File}: {r.Error}").ToList();
        Assert.Empty(failures);
    }
}
