using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Spbe.Security.Soc.Parsing;

public sealed class SyslogParserTests
{
    private static readonly TimeZoneInfo Wib = TimeZoneInfo.FindSystemTimeZoneById("Asia/Jakarta");
    private static readonly DateTimeOffset Arrival = new(2026, 11, 24, 3, 0, 0, TimeSpan.Zero);

    private static SyslogMessage Parse(string text) => SyslogParser.Parse(text, Arrival, Wib);

    [Fact]
    public void Parse_RawOpenSshLineWithoutPri_ReadsTimestampHostProgramAndPid()
    {
        var m = Parse("Dec 10 06:55:46 LabSZ sshd[24200]: reverse mapping checking getaddrinfo for ns.marryaldkfaczcz.com [173.234.31.186] failed");
        Assert.Equal(SyslogFormat.Rfc3164, m.Format);
        Assert.Equal(SyslogProblems.NoPri, m.Problems);
        Assert.Equal("LabSZ", m.Hostname);
        Assert.Equal("sshd", m.AppName);
        Assert.Equal("24200", m.ProcId);
        Assert.StartsWith("reverse mapping", m.Message, StringComparison.Ordinal);

        // Note: December read in late November is last December (more than a week ahead of the arrival is too far).
        Assert.Equal(new DateTimeOffset(2025, 12, 10, 6, 55, 46, TimeSpan.FromHours(7)), m.Timestamp);
    }

    [Fact]
    public void Parse_Rfc5424WithStructuredData_ReadsEveryField()
    {
        var m = Parse("<165>1 2026-11-24T10:14:15.003+07:00 web01.dinkes app 4242 ID47 [exampleSDID@32473 iut=\"3\" eventSource=\"App\\]lication\"][origin ip=\"10.0.0.1\"] \uFEFFPesan login gagal");
        Assert.Equal(SyslogFormat.Rfc5424, m.Format);
        Assert.Equal(SyslogProblems.None, m.Problems);
        Assert.Equal((20, 5), (m.Facility, m.Severity));
        Assert.Equal(new DateTimeOffset(2026, 11, 24, 10, 14, 15, 3, TimeSpan.FromHours(7)), m.Timestamp);
        Assert.Equal(("web01.dinkes", "app", "4242", "ID47"), (m.Hostname, m.AppName, m.ProcId, m.MsgId));
        Assert.Equal(["exampleSDID@32473", "origin"], m.StructuredData.Select(e => e.Id));
        Assert.Equal("App]lication", m.StructuredData[0].Parameters[1].Value);
        Assert.Equal("Pesan login gagal", m.Message);
    }

    [Theory]
    [InlineData("<34>Oct 11 22:14:15 mymachine su: 'su root' failed", "mymachine", "su", null, "'su root' failed")]
    [InlineData("<13>Nov 24 09:00:00 sshd[77]: no hostname here", null, "sshd", "77", "no hostname here")]
    [InlineData("<30>2026-11-24T09:00:00.123456+07:00 fw01 kernel: DROP IN=eth0", "fw01", "kernel", null, "DROP IN=eth0")]
    [InlineData("<13>Nov  4 09:00:00 2026 host prog: year after the date", "host", "prog", null, "year after the date")]
    [InlineData("*Mar  1 18:46:11.123: %SYS-5-CONFIG_I: Configured from console", null, "%SYS-5-CONFIG_I", null, "Configured from console")]
    public void Parse_Rfc3164Variants_ReadsWhatIsThere(string text, string? host, string? program, string? pid, string message)
    {
        var m = Parse(text);
        Assert.Equal(SyslogFormat.Rfc3164, m.Format);
        Assert.NotNull(m.Timestamp);
        Assert.Equal((host, program, pid, message), (m.Hostname, m.AppName, m.ProcId, m.Message));
    }

    [Theory]
    [InlineData("<999>1 2026-11-24T00:00:00Z h a - - - x", SyslogProblems.BadPri)]
    [InlineData("<13>1 not-a-time h a - - - x", SyslogProblems.BadTimestamp)]
    [InlineData("<13>1 2026-11-24T00:00:00Z h a - - [unclosed x=\"1\" msg", SyslogProblems.BadStructuredData)]
    [InlineData("<13>1 2026-11-24T00:00:00Z only", SyslogProblems.BadHeader)]
    public void Parse_MalformedHeaders_SaysWhatWasWrongAndKeepsTheText(string text, SyslogProblems expected)
    {
        var m = Parse(text);
        Assert.True((m.Problems & expected) == expected, $"{m.Problems} should include {expected}");
        Assert.NotEmpty(m.Message);
    }

    [Fact]
    public void Parse_ApacheAccessLine_IsAPlainMessage()
    {
        var line = "64.242.88.10 - - [07/Mar/2004:16:05:49 -0800] \"GET /twiki/bin/edit/Main/Double_bounce_sender HTTP/1.1\" 401 12846";
        var m = Parse(line);
        Assert.Equal(SyslogFormat.None, m.Format);
        Assert.Equal(line, m.Message);
    }

    [Property(MaxTest = 2000)]
    public bool Parse_AnyText_NeverThrows(string text)
    {
        _ = Parse(text ?? "");
        _ = Parse("<13>1 " + text);
        _ = Parse("<13>" + text);
        _ = Parse("Dec 10 06:55:46 " + text);
        return true;
    }

    [Property(MaxTest = 500, Arbitrary = [typeof(Rfc5424Arbitrary)])]
    public bool Format5424_ThenParse_GivesTheSameMessage(SyslogMessage message)
    {
        var parsed = Parse(SyslogParser.Format5424(message));
        return parsed.Format == SyslogFormat.Rfc5424 && parsed.Problems == SyslogProblems.None
            && (parsed.Facility, parsed.Severity, parsed.Hostname, parsed.AppName, parsed.ProcId, parsed.MsgId, parsed.Message)
                == (message.Facility, message.Severity, message.Hostname, message.AppName, message.ProcId, message.MsgId, message.Message)
            && parsed.Timestamp == message.Timestamp
            && parsed.StructuredData.Count == message.StructuredData.Count
            && parsed.StructuredData.Zip(message.StructuredData).All(p => p.First.Id == p.Second.Id && p.First.Parameters.SequenceEqual(p.Second.Parameters));
    }

    /// <summary>Valid RFC 5424 messages: printable US-ASCII header fields within their lengths, SD values with the
    /// characters that need escaping, timestamps at microsecond precision, any message text.</summary>
    public static class Rfc5424Arbitrary
    {
        public static Arbitrary<SyslogMessage> Messages()
        {
            var printable = Gen.Elements("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_@:/".ToCharArray());
            Gen<string?> Field(int max) => Gen.OneOf(
                Gen.Constant<string?>(null),
                Gen.Choose(1, max).SelectMany(n => Gen.ArrayOf(printable, n)).Select(c => (string?)new string(c)).Where(s => s != "-"));
            var name = Gen.Choose(1, 32).SelectMany(n => Gen.ArrayOf(Gen.Elements("abcdefghijklmnopqrstuvwxyz0123456789.@_-".ToCharArray()), n)).Select(c => new string(c));
            var value = ArbMap.Default.GeneratorFor<string>().Select(s => (s ?? "") + "\"]\\");
            var parameter = name.SelectMany(n => value.Select(v => new KeyValuePair<string, string>(n, v)));
            var element = name.SelectMany(id => Gen.Choose(0, 3).SelectMany(k => Gen.ListOf(parameter, k)).Select(ps => new StructuredDataElement(id, [.. ps])));
            var timestamp = Gen.OneOf(
                Gen.Constant<DateTimeOffset?>(null),
                Gen.Choose(0, 1_000_000).SelectMany(s => Gen.Choose(-12 * 60, 14 * 60).Select(o =>
                    (DateTimeOffset?)new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).AddSeconds(s * 37.000013).ToOffset(TimeSpan.FromMinutes(o)))));
            var message = ArbMap.Default.GeneratorFor<string>().Select(s => (s ?? "").TrimStart('\uFEFF'));
            var gen =
                from facility in Gen.Choose(0, 23)
                from severity in Gen.Choose(0, 7)
                from stamp in timestamp
                from host in Field(255)
                from app in Field(48)
                from pid in Field(128)
                from msgid in Field(32)
                from sd in Gen.Choose(0, 2).SelectMany(k => Gen.ListOf(element, k))
                from text in message
                select new SyslogMessage
                {
                    Format = SyslogFormat.Rfc5424, Facility = facility, Severity = severity, Timestamp = stamp is { } t ? Truncate(t) : null,
                    Hostname = host, AppName = app, ProcId = pid, MsgId = msgid, StructuredData = [.. sd], Message = text,
                };
            return gen.ToArbitrary();
        }

        private static DateTimeOffset Truncate(DateTimeOffset t) => new(t.Ticks - (t.Ticks % 10), t.Offset);
    }
}
