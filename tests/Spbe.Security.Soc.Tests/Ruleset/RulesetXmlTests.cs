using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
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

    [Property(MaxTest = 300, Arbitrary = [typeof(RulesetTexts)])]
    public bool LoadingAndMatching_AnyFileText_NeverThrow(string decoders, string rules, string line)
    {
        using var temp = new TempDirectory();
        File.WriteAllText(temp.Combine("x_decoders.xml"), decoders);
        File.WriteAllText(temp.Combine("x_rules.xml"), rules);
        var ruleset = SocRuleset.Load([temp.Path]);
        _ = ruleset.Analyze(line ?? "", new Correlation.CorrelationState(), TimeProvider.System.GetUtcNow());
        return true;
    }

    /// <summary>Texts built from the pieces of decoder and rule files (tags, attributes, patterns, stray markup), so that
    /// they are often almost valid.</summary>
    public static class RulesetTexts
    {
        private static readonly string[] Pieces =
        [
            "<decoder name=\"d\">", "</decoder>", "<parent>d</parent>", "<prematch>^x</prematch>", "<regex>(\\S+)</regex>", "<order>srcip</order>",
            "<program_name>x</program_name>", "<plugin_decoder>JSON_Decoder</plugin_decoder>", "<group name=\"g,\">", "</group>", "<rule id=\"100\" level=\"3\">",
            "<rule id=\"101\" level=\"5\" frequency=\"2\" timeframe=\"60\">", "</rule>", "<if_sid>100</if_sid>", "<if_matched_sid>100</if_matched_sid>",
            "<match>x</match>", "<regex type=\"pcre2\">(a+</regex>", "<field name=\"a\">\\d+</field>", "<description>d</description>", "<same_source_ip />",
            "<srcip>10.0.0.0/8</srcip>", "<time>9-5</time>", "<list field=\"user\">etc/lists/x</list>", "<var name=\"V\">v</var>", "$V", "<!--", "-->", "<", ">", "\\<", "&",
            "\"", " ", "\n", "x",
        ];

        public static Arbitrary<string> Texts() =>
            Gen.Choose(0, 30).SelectMany(n => Gen.ArrayOf(Gen.Elements(Pieces), n)).Select(p => string.Concat(p)).ToArbitrary();
    }
}
