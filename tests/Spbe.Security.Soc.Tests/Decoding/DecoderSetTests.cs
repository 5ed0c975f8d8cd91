using Spbe.Security.Soc.Ruleset;
using Spbe.Security.Testing;

namespace Spbe.Security.Soc.Decoding;

public sealed class DecoderSetTests
{
    private static readonly Lazy<(DecoderSet Set, List<RulesetProblem> Problems)> Stock = new(() =>
    {
        var root = Path.Combine(RepositoryPaths.Shared, "data", "wazuh-4.14.7");
        var files = Directory.GetFiles(Path.Combine(root, "decoders"), "*.xml").Order(StringComparer.Ordinal)
            .Concat(Directory.GetFiles(Path.Combine(root, "testing-ruleset"), "*_decoders.xml").Order(StringComparer.Ordinal));
        var problems = new List<RulesetProblem>();
        return (DecoderLoader.Load(files, problems), problems);
    });

    private static AnalysisEvent Decode(DecoderSet set, string line)
    {
        var e = new AnalysisEvent(PreDecoder.Decode(line), "stdin", "000", TimeProvider.System.GetUtcNow());
        set.Decode(e);
        return e;
    }

    [SharedDataFact]
    public void Load_StockDecoders_AllLoad()
    {
        // Note: only the four plugin decoders not implemented are reported (each decoder naming one).
        var problems = Stock.Value.Problems.Where(p => !p.Message.Contains("is not implemented", StringComparison.Ordinal)).ToList();
        Assert.True(problems.Count == 0, string.Join("\n", problems));
        Assert.Equal(5, Stock.Value.Problems.Count);
        Assert.True(Stock.Value.Set.Count > 1000, $"{Stock.Value.Set.Count} decoders");
    }

    [SharedDataTheory]
    [InlineData("Jul  3 21:44:07 vmi189193 sshd[26279]: Failed password for invalid user sammy from 82.202.219.155 port 51676 ssh2", "sshd", "sammy", null, "82.202.219.155")]
    [InlineData("Dec 10 06:55:46 LabSZ sshd[24200]: Failed password for root from 173.234.31.186 port 38926 ssh2", "sshd", null, "root", "173.234.31.186")]
    public void Decode_SshdLines_LikeWazuh(string line, string decoder, string? srcuser, string? dstuser, string srcip)
    {
        var e = Decode(Stock.Value.Set, line);
        Assert.Equal(decoder, e.Decoder?.Name);
        Assert.Equal((srcuser, dstuser, srcip), (e[StaticField.SrcUser], e[StaticField.DstUser], e[StaticField.SrcIp]));
    }

    [SharedDataFact]
    public void Decode_JsonLine_FlattensFields()
    {
        var e = Decode(Stock.Value.Set, "{\"srcip\":\"10.1.1.1\",\"user\":{\"name\":\"budi\"},\"count\":3,\"ratio\":1.5,\"tags\":[\"a\",\"b\"],\"none\":null} trailing");
        Assert.Equal("json", e.Decoder?.Name);
        Assert.Equal("10.1.1.1", e[StaticField.SrcIp]);
        Assert.Equal(("budi", "3", "1.500000", "[\"a\", \"b\"]", "null"), (e.Field("user.name"), e.Field("COUNT"), e.Field("ratio"), e.Field("tags"), e.Field("none")));
    }
}
