using Spbe.Security.Soc.Correlation;

namespace Spbe.Security.Soc.Ruleset;

/// <summary>
/// wazuh-logtest's behaviour over a loaded ruleset: each line goes through pre-decoding, decoding and the rules within
/// a session, whose correlation state carries over from line to line. Sessions are kept up to a bound; the oldest is
/// forgotten first.
/// </summary>
public sealed class Logtest(SocRuleset ruleset, TimeProvider time, int maxSessions = 65_536)
{
    private readonly Dictionary<string, CorrelationState> _sessions = new(StringComparer.Ordinal);
    private readonly Queue<string> _order = new();

    /// <summary>The ruleset lines are tested against.</summary>
    public SocRuleset Ruleset { get; } = ruleset;

    /// <summary>Tests one line in session <paramref name="session"/>.</summary>
    public LogtestResult Process(string session, string line)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(line);
        if (!_sessions.TryGetValue(session, out var state))
        {
            while (_sessions.Count >= maxSessions && _order.TryDequeue(out var oldest))
            {
                _sessions.Remove(oldest);
            }

            state = new CorrelationState();
            _sessions[session] = state;
            _order.Enqueue(session);
        }

        var (e, match) = Ruleset.Analyze(line, state, time.GetUtcNow());
        return new LogtestResult(session, e, match);
    }
}
