using System.Text;
using System.Text.Unicode;
using Spbe.Security.Soc.Ingest;

namespace Spbe.Security.Soc.Parsing;

/// <summary>Turns received bytes into text that is safe to store and show, saying what had to be replaced.</summary>
public static class RawText
{
    /// <summary>Shown in place of a NUL byte (U+2400 SYMBOL FOR NULL): NUL ends strings in C tools and SQLite text.</summary>
    public const char NulSymbol = '\u2400';

    /// <summary>Decodes <paramref name="bytes"/> as UTF-8 (invalid sequences become U+FFFD) and shows NUL bytes as
    /// <see cref="NulSymbol"/>; <paramref name="flags"/> gets <see cref="IngestFlags.InvalidUtf8"/> and
    /// <see cref="IngestFlags.NulBytes"/> when that happened.</summary>
    public static string Decode(ReadOnlySpan<byte> bytes, out IngestFlags flags)
    {
        flags = IngestFlags.None;
        if (!Utf8.IsValid(bytes))
        {
            flags |= IngestFlags.InvalidUtf8;
        }

        var text = Encoding.UTF8.GetString(bytes);
        if (bytes.Contains((byte)0))
        {
            flags |= IngestFlags.NulBytes;
            text = text.Replace('\0', NulSymbol);
        }

        return text;
    }
}
