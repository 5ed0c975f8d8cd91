using System.Globalization;
using Spbe.Security.Policies;
using YamlDotNet.RepresentationModel;

namespace Spbe.Security.Soc.Incidents;

/// <summary>
/// <c>policies/soc/sla.yaml</c>: per severity, how long the CSIRT has to acknowledge and to resolve an incident, and how
/// often the SLA monitor checks. Both clocks start when the incident is opened.
/// </summary>
public sealed class SlaPolicy : IPolicySource
{
    /// <summary>The file, relative to the policies directory.</summary>
    public const string FileName = "soc/sla.yaml";

    /// <summary>The longest duration accepted anywhere in the file (a year).</summary>
    public static readonly TimeSpan MaxDuration = TimeSpan.FromDays(366);

    private readonly PolicyDirectory? _directory;
    private readonly string? _text;
    private Loaded? _loaded;

    /// <summary>The policy read from the policies directory.</summary>
    public SlaPolicy(PolicyDirectory directory)
    {
        _directory = directory;
    }

    private SlaPolicy(string text)
    {
        _text = text;
    }

    /// <summary>A policy from YAML text (tests, tools). Throws <see cref="PolicyException"/> when the text is not valid.</summary>
    public static SlaPolicy FromText(string text)
    {
        var policy = new SlaPolicy(text);
        return policy.Load() is { Count: > 0 } errors ? throw new PolicyException(errors) : policy;
    }

    /// <inheritdoc />
    public string Name => "soc/sla";

    /// <inheritdoc />
    public IReadOnlyList<string> Files { get; } = [FileName];

    /// <summary>How often the monitor checks.</summary>
    public TimeSpan CheckEvery => Current.CheckEvery;

    /// <summary>The targets for <paramref name="severity"/>.</summary>
    public SlaTargets For(IncidentSeverity severity) => Current.Targets[(int)severity];

    private Loaded Current => _loaded ?? (Load() is { Count: > 0 } errors ? throw new PolicyException(errors) : _loaded!);

    /// <inheritdoc />
    public IReadOnlyList<PolicyError> Load()
    {
        var file = _directory is null ? YamlPolicyFile.FromText(FileName, _text!) : YamlPolicyFile.Load(_directory, FileName);
        if (file.Root is null || file.AsMapping(file.Root, "the document") is not { } root)
        {
            return file.Errors;
        }

        file.RejectUnknownKeys(root, "check_every", "severities");
        var checkEvery = Duration(file, root, "check_every", TimeSpan.FromSeconds(5)) ?? TimeSpan.Zero;
        var targets = new SlaTargets[4];
        if (file.AsMapping(YamlPolicyFile.Node(root, "severities"), "'severities'") is { } severities)
        {
            var names = Enum.GetValues<IncidentSeverity>().Select(s => s.Label().ToLowerInvariant()).ToArray();
            file.RejectUnknownKeys(severities, names);
            foreach (var severity in Enum.GetValues<IncidentSeverity>())
            {
                var name = severity.Label().ToLowerInvariant();
                if (file.AsMapping(YamlPolicyFile.Node(severities, name), $"'severities.{name}' (a severity must have its targets)") is not { } entry)
                {
                    continue;
                }

                file.RejectUnknownKeys(entry, "acknowledge", "resolve");
                var acknowledge = Duration(file, entry, "acknowledge", TimeSpan.FromMinutes(1));
                var resolve = Duration(file, entry, "resolve", TimeSpan.FromMinutes(1));
                if (acknowledge is { } a && resolve is { } r)
                {
                    if (a > r)
                    {
                        file.Error(YamlPolicyFile.Node(entry, "acknowledge"), PolicyErrors.Invalid, $"'severities.{name}.acknowledge' is longer than its 'resolve'");
                    }

                    targets[(int)severity] = new SlaTargets(a, r);
                }
            }

            // Note: a stricter severity with a looser target is almost always a typing mistake (hours for minutes).
            for (var i = 1; i < targets.Length && file.Errors.Count == 0; i++)
            {
                if (targets[i].Acknowledge > targets[i - 1].Acknowledge || targets[i].Resolve > targets[i - 1].Resolve)
                {
                    file.Error(severities, PolicyErrors.Invalid,
                        $"'{((IncidentSeverity)i).Label().ToLowerInvariant()}' allows more time than the less severe '{((IncidentSeverity)(i - 1)).Label().ToLowerInvariant()}'");
                }
            }
        }

        if (file.Errors.Count == 0)
        {
            _loaded = new Loaded(checkEvery, targets);
        }

        return file.Errors;
    }

    /// <summary>Reads a duration (<c>30s</c>, <c>15m</c>, <c>4h</c>, <c>3d</c>) of at least <paramref name="min"/>.</summary>
    private static TimeSpan? Duration(YamlPolicyFile file, YamlMappingNode mapping, string key, TimeSpan min)
    {
        var text = file.Scalar(mapping, key);
        if (text is null)
        {
            return null;
        }

        if (TryParseDuration(text, out var value) && value >= min && value <= MaxDuration)
        {
            return value;
        }

        file.Error(YamlPolicyFile.Node(mapping, key), PolicyErrors.Invalid,
            $"'{key}' must be a whole number with s, m, h or d (e.g. 15m), from {Format(min)} to {MaxDuration.TotalDays:0}d; got '{text}'");
        return null;
    }

    /// <summary>Parses <c>30s</c>, <c>15m</c>, <c>4h</c> or <c>3d</c>.</summary>
    public static bool TryParseDuration(string text, out TimeSpan value)
    {
        value = default;
        if (string.IsNullOrEmpty(text) || text.Length > 9
            || !long.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var n))
        {
            return false;
        }

        // Note: up to 8 digits of days would overflow TimeSpan; anything past ten years is refused here already.
        if (n > 10 * 366 * 86_400L)
        {
            return false;
        }

        value = text[^1] switch
        {
            's' => TimeSpan.FromSeconds(n),
            'm' => TimeSpan.FromMinutes(n),
            'h' => TimeSpan.FromHours(n),
            'd' => TimeSpan.FromDays(n),
            _ => TimeSpan.MinValue,
        };
        return value != TimeSpan.MinValue;
    }

    /// <summary>A duration as the console shows it: <c>1h 30m</c>, <c>2d 4h</c>, <c>45s</c>.</summary>
    public static string Format(TimeSpan value)
    {
        var sign = value < TimeSpan.Zero ? "-" : "";
        value = value.Duration();
        string text = value switch
        {
            { TotalDays: >= 1 } => value.Hours == 0 ? $"{(int)value.TotalDays}d" : $"{(int)value.TotalDays}d {value.Hours}h",
            { TotalHours: >= 1 } => value.Minutes == 0 ? $"{value.Hours}h" : $"{value.Hours}h {value.Minutes}m",
            { TotalMinutes: >= 1 } => $"{value.Minutes}m",
            _ => $"{value.Seconds}s",
        };
        return sign + text;
    }

    private sealed record Loaded(TimeSpan CheckEvery, SlaTargets[] Targets);
}

/// <summary>The time allowed to acknowledge and to resolve an incident of one severity.</summary>
public readonly record struct SlaTargets(TimeSpan Acknowledge, TimeSpan Resolve);
