using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Spbe.Security.Soc.Ingest;

public sealed class SyslogFramerTests
{
    private static List<(string Text, IngestFlags Flags)> Frame(int max, params byte[][] chunks)
    {
        var framer = new SyslogFramer(max);
        var frames = new List<(string, IngestFlags)>();
        foreach (var chunk in chunks)
        {
            framer.Push(chunk, (m, f) => frames.Add((Encoding.UTF8.GetString(m), f)));
        }

        framer.Complete((m, f) => frames.Add((Encoding.UTF8.GetString(m), f)));
        return frames;
    }

    private static byte[] B(string s) => Encoding.UTF8.GetBytes(s);

    [Fact]
    public void Push_OctetCountedFrames_YieldsEachMessageWithItsNewlinesIntact()
    {
        var frames = Frame(1024, B("11 <13>1 - a\nb5 <14>x\n"), B("3 abc"));
        Assert.Equal(["<13>1 - a\nb", "<14>x", "abc"], frames.Select(f => f.Text));
        Assert.All(frames, f => Assert.Equal(IngestFlags.None, f.Flags));
    }

    [Fact]
    public void Push_LineFramedStream_SplitsOnLfAndDropsCrAndEmptyLines()
    {
        var frames = Frame(1024, B("<13>Dec 10 06:55:46 host sshd[1]: one\r\n\n"), B("2024 starts with digits\nlast"));
        Assert.Equal(["<13>Dec 10 06:55:46 host sshd[1]: one", "2024 starts with digits", "last"], frames.Select(f => f.Text));
    }

    [Fact]
    public void Push_MessageLongerThanTheLimit_KeepsItsStartFlaggedAndTheNextMessageWhole()
    {
        var frames = Frame(8, B(new string('x', 20) + "\nshort\n"));
        Assert.Equal(("xxxxxxxx", IngestFlags.Truncated), frames[0]);
        Assert.Equal(("short", IngestFlags.None), frames[1]);

        var counted = Frame(4, B("10 0123456789"), B("2 ok"));
        Assert.Equal([("0123", IngestFlags.Truncated), ("ok", IngestFlags.None)], counted);
    }

    [Fact]
    public void Push_CountNotFollowedByASpace_FallsBackToLinesAndFlagsTheMessage()
    {
        var frames = Frame(1024, B("5 hello12x broken\nnext\n"));
        Assert.Equal("hello", frames[0].Text);
        Assert.Equal(("12x broken", IngestFlags.BrokenFraming), frames[1]);
        Assert.Equal(("next", IngestFlags.None), frames[2]);
    }

    [Fact]
    public void Complete_InsideACountedFrame_DeliversWhatCameFlaggedAsBrokenFraming()
    {
        var frames = Frame(1024, B("20 only-ten"));
        Assert.Equal([("only-ten", IngestFlags.BrokenFraming)], frames);
    }

    [Property(MaxTest = 300)]
    public bool Push_AnyChunkingOfTheSameBytes_YieldsTheSameFrames(NonEmptyArray<NonNull<string>> messages, PositiveInt seed, bool counted)
    {
        var body = new StringBuilder();
        foreach (var m in messages.Get.Select(m => m.Get.Replace("\n", " ", StringComparison.Ordinal).Replace("\r", " ", StringComparison.Ordinal)))
        {
            var text = "<13>" + m;
            body.Append(counted ? $"{Encoding.UTF8.GetByteCount(text)} {text}" : text + "\n");
        }

        var bytes = B(body.ToString());
        var whole = Frame(1 << 20, bytes);
        var chunks = new List<byte[]>();
        for (int i = 0, k = 1; i < bytes.Length; k++)
        {
            var n = Math.Min(bytes.Length - i, 1 + (int)((seed.Get * (long)k * 2654435761L) % 7));
            chunks.Add(bytes[i..(i + n)]);
            i += n;
        }

        var split = Frame(1 << 20, [.. chunks]);
        return whole.SequenceEqual(split) && whole.Count == messages.Get.Length;
    }
}
