using System.Globalization;
using Spbe.Security.Policies;

namespace Spbe.Security.Soc.Ingest;

/// <summary><c>policies/soc/retention.yaml</c>: how many days of events the store keeps.</summary>
public sealed class SocRetentionPolicy(PolicyDirectory directory) : IPolicySource
{
    /// <summary>The file, relative to the policies directory.</summary>
    public const string FileName = "soc/retention.yaml";

    /// <summary>The longest retention accepted (ten years).</summary>
    public const int MaxDays = 3653;

    private int? _days;

    /// <inheritdoc />
    public string Name => "soc/retention";

    /// <inheritdoc />
    public IReadOnlyList<string> Files { get; } = [FileName];

    /// <summary>Days of events kept (whole UTC days by arrival).</summary>
    public int Days => _days ?? (Load() is { Count: > 0 } errors ? throw new PolicyException(errors) : _days!.Value);

    /// <inheritdoc />
    public IReadOnlyList<PolicyError> Load()
    {
        var file = YamlPolicyFile.Load(directory, FileName);
        if (file.Root is not null && file.AsMapping(file.Root, "the document") is { } root)
        {
            file.RejectUnknownKeys(root, "events_days");
            var text = file.Scalar(root, "events_days");
            if (text is not null && (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var days) || days is < 1 or > MaxDays))
            {
                file.Error(YamlPolicyFile.Node(root, "events_days"), PolicyErrors.Invalid, $"'events_days' must be a whole number from 1 to {MaxDays}");
            }
            else if (text is not null && file.Errors.Count == 0)
            {
                _days = int.Parse(text, CultureInfo.InvariantCulture);
            }
        }

        return file.Errors;
    }
}
