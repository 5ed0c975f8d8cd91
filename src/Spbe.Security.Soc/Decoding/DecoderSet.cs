namespace Spbe.Security.Soc.Decoding;

/// <summary>
/// The loaded decoders and Wazuh's decoding algorithm. Top-level decoders are in two lists: those with a
/// <c>program_name</c> element see only events with a program name, the others only events without. The first
/// top-level decoder that matches takes the event, whether or not a child then matches; a parent with children runs
/// only a child's regex or plugin; the first child without prematch is taken unconditionally; same-named siblings form
/// a chain that continues after each regex.
/// </summary>
public sealed class DecoderSet
{
    /// <summary>The most program names whose matching decoders are remembered (program names come from the logs).</summary>
    private const int ProgramCacheSize = 4096;

    /// <summary>The groups of the latest regex, one list per thread (decoding is not reentrant).</summary>
    [ThreadStatic]
    private static List<string>? t_captures;

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Decoder[]> _byProgram = new(StringComparer.Ordinal);

    private readonly Decoder[] _withoutProgramName;

    internal DecoderSet(IReadOnlyList<Decoder> withProgramName, IReadOnlyList<Decoder> withoutProgramName)
    {
        WithProgramName = withProgramName;
        _withoutProgramName = [.. withoutProgramName];
    }

    /// <summary>An empty set.</summary>
    public static DecoderSet Empty { get; } = new([], []);

    /// <summary>Top-level decoders with a <c>program_name</c> element, in load order.</summary>
    public IReadOnlyList<Decoder> WithProgramName { get; }

    /// <summary>The other top-level decoders, in load order.</summary>
    public IReadOnlyList<Decoder> WithoutProgramName => _withoutProgramName;

    /// <summary>How many decoders, children included.</summary>
    public int Count => WithProgramName.Concat(WithoutProgramName).Sum(d => 1 + d.Children.Count);

    /// <summary>Decodes <paramref name="e"/>: sets its decoder and fields.</summary>
    public void Decode(AnalysisEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var log = e.Log;
        var captures = t_captures ??= [];
        foreach (var parent in e.ProgramName is { } program ? ForProgram(program) : _withoutProgramName)
        {
            var pmatch = 0;
            if (parent.Prematch is not null)
            {
                if (!parent.Prematch.TryMatch(log, 0, null, out var end))
                {
                    continue;
                }

                pmatch = Next(log, end);
            }

            e.Decoder = parent;
            e.AfterPrematch = pmatch;
            var cmatch = -1;
            var chosen = -1;
            if (parent.Children.Count == 0)
            {
                RunChain(e, [parent], 0, log, pmatch, cmatch, captures);
                return;
            }
            else
            {
                for (var i = 0; i < parent.Children.Count; i++)
                {
                    var child = parent.Children[i];
                    if (child.Prematch is null)
                    {
                        // Note: a child without prematch is taken as it is, and the event stays the parent's.
                        cmatch = pmatch;
                        chosen = i;
                        break;
                    }

                    var from = child.PrematchOffset == DecoderOffset.AfterParent ? pmatch : 0;
                    if (child.Prematch.TryMatch(log, from, null, out var end))
                    {
                        cmatch = Next(log, end);
                        e.Decoder = child;
                        e.AfterParent = pmatch;
                        e.AfterPrematch = cmatch;
                        chosen = i;
                        break;
                    }

                    // Note: a failed head of a chain skips the whole chain.
                    while (child.GetNext && i + 1 < parent.Children.Count)
                    {
                        child = parent.Children[++i];
                    }
                }

                if (chosen < 0)
                {
                    return;
                }
            }

            RunChain(e, parent.Children, chosen, log, pmatch, cmatch, captures);
            return;
        }
    }

    private static void RunChain(AnalysisEvent e, List<Decoder> siblings, int index, string log, int pmatch, int cmatch, List<string> captures)
    {
        var previous = -1;
        for (var i = index; i < siblings.Count; i++)
        {
            var node = siblings[i];
            if (node.Plugin is not null)
            {
                PluginDecoders.Run(node.Plugin, e, log);
            }
            else if (node.Regex is not null)
            {
                var from = node.RegexOffset switch
                {
                    DecoderOffset.AfterParent => pmatch,
                    DecoderOffset.AfterPrematch => cmatch,
                    DecoderOffset.AfterRegex => previous >= 0 ? previous : cmatch,
                    _ => 0,
                };
                if (from < 0 || from > log.Length || !node.Regex.TryMatch(log, from, captures, out var end))
                {
                    if (node.GetNext)
                    {
                        continue;
                    }

                    return;
                }

                previous = Next(log, end);
                for (var c = 0; c < captures.Count && c < node.Order.Count; c++)
                {
                    e.Set(node.Order[c], captures[c]);
                }
            }
            else
            {
                return;
            }

            if (!node.GetNext)
            {
                return;
            }
        }
    }

    /// <summary>The top-level decoders whose program_name matches <paramref name="program"/>, in order (a pure function
    /// of the name, so it is remembered for the names seen most).</summary>
    private Decoder[] ForProgram(string program)
    {
        if (_byProgram.TryGetValue(program, out var cached))
        {
            return cached;
        }

        Decoder[] matching = [.. WithProgramName.Where(d => d.ProgramName!.IsMatch(program))];
        if (_byProgram.Count < ProgramCacheSize)
        {
            _byProgram.TryAdd(program, matching);
        }

        return matching;
    }

    /// <summary>Where the next search starts after a match that ended at <paramref name="end"/>: one further, unless
    /// that is past the end of the text.</summary>
    private static int Next(string log, int end) => end < 0 ? 0 : end < log.Length ? end + 1 : log.Length;
}
