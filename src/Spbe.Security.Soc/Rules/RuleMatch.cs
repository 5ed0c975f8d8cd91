namespace Spbe.Security.Soc.Rules;

/// <summary>The rule an event ended on: how many times it has fired, whether it makes an alert (level above the alert
/// level, not silenced), and its description with the event's values in it.</summary>
public sealed record RuleMatch(Rule Rule, int FiredTimes, bool Alert, string Description);
