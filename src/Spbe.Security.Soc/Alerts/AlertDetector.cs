using System.Globalization;
using System.Text;
using Spbe.Security.Soc.Correlation;
using Spbe.Security.Soc.Ingest;
using Spbe.Security.Soc.Parsing;
using Spbe.Security.Soc.Ruleset;
using Spbe.Security.Soc.Store;

namespace Spbe.Security.Soc.Alerts;

/// <summary>
/// Runs stored events through a ruleset with one correlation state, in arrival order, on one thread (the pipeline's
/// analysis thread): the engine of <c>spbe logtest</c> on the live stream. Every source is one agent, as syslog received by
/// a Wazuh manager is, so that correlation crosses sources (an SSH brute force, then a sign-in from that address).
/// </summary>
public sealed class AlertDetector(SocRuleset ruleset, TimeZoneInfo zone)
{
    /// <summary>The agent every live event counts for.</summary>
    public const string AgentId = "000";

    private readonly CorrelationState _state = new();
    private readonly StringBuilder _line = new();
    private long _headerSecond = long.MinValue;
    private string _headerTime = "";

    /// <summary>The ruleset.</summary>
    public SocRuleset Ruleset { get; } = ruleset;

    /// <summary>The alert for <paramref name="e"/>, or null when no rule of the alert level fired.</summary>
    public SocAlert? Detect(SocEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var (analysed, match) = Ruleset.Analyze(LineOf(e), _state, e.Timestamp, e.Source, AgentId);
        if (match is not { Alert: true })
        {
            return null;
        }

        return new SocAlert
        {
            Sequence = e.Sequence,
            Timestamp = e.Timestamp,
            RuleId = match.Rule.Id,
            Level = match.Rule.Level,
            Description = match.Description,
            Groups = match.Rule.Groups,
            Mitre = match.Rule.Mitre,
            FiredTimes = match.FiredTimes,
            Decoder = analysed.Decoder?.Name,
            Fields = new LogtestResult(e.Source, analysed, match).Data(),
        };
    }

    /// <summary>
    /// The line the rules read, as a syslog daemon would have written it: <c>MMM dd HH:mm:ss host program[pid]: message</c>
    /// from the parsed header (the priority and the RFC 5424 fields Wazuh does not know are left out), the arrival time
    /// standing in for the header's; the message alone when there is no program (JSON from HTTP and the host itself).
    /// </summary>
    internal string LineOf(SocEvent e)
    {
        var syslog = e.Syslog;
        if (e.Transport == IngestTransport.Internal)
        {
            // Note: the host's own security events (JSON) under their program name, which policies/soc decodes before
            // any generic JSON decoder (see 0900-spbe_decoders.xml).
            return Header(e, e.Source).Append(": ").Append(e.Original).ToString();
        }

        if (syslog.Format == SyslogFormat.None || string.IsNullOrEmpty(syslog.AppName))
        {
            return syslog.Format == SyslogFormat.None ? e.Original : syslog.Message;
        }

        Header(e, syslog.AppName);
        if (!string.IsNullOrEmpty(syslog.ProcId))
        {
            _line.Append('[').Append(syslog.ProcId).Append(']');
        }

        return _line.Append(": ").Append(syslog.Message).ToString();
    }

    /// <summary>Starts <see cref="_line"/> with <c>MMM dd HH:mm:ss host program</c>, the arrival time in the sources'
    /// zone standing in for the header's.</summary>
    private StringBuilder Header(SocEvent e, string program)
    {
        // Note: events come many to a second; the zone's conversion and the formatting are done once per second.
        var second = e.Timestamp.ToUnixTimeSeconds();
        if (second != _headerSecond)
        {
            var local = TimeZoneInfo.ConvertTime(e.Timestamp, zone);
            _headerTime = string.Create(CultureInfo.InvariantCulture, $"{local:MMM} {local.Day,2} {local:HH:mm:ss}");
            _headerSecond = second;
        }

        var host = string.IsNullOrEmpty(e.Syslog.Hostname) ? (e.Peer.Length > 0 ? e.Peer : "spbe") : e.Syslog.Hostname;
        return _line.Clear().Append(_headerTime).Append(' ').Append(host).Append(' ').Append(program);
    }
}
