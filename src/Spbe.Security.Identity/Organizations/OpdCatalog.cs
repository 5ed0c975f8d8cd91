using System.Collections.Frozen;
using System.Text.RegularExpressions;
using Spbe.Security.Policies;
using YamlDotNet.RepresentationModel;

namespace Spbe.Security.Identity.Organizations;

/// <summary>
/// The city's OPDs, read from <c>policies/identity/opd.yaml</c> and validated at start-up: codes well-formed and
/// unique, names present, kinds known, no unknown keys.
/// </summary>
public sealed partial class OpdCatalog : IPolicySource
{
    /// <summary>The file, relative to the policies directory.</summary>
    public const string FileName = "identity/opd.yaml";

    /// <summary>The longest OPD name the store keeps.</summary>
    public const int MaxNameLength = 200;

    private static readonly string[] EntryKeys = ["code", "name", "kind", "active"];

    private readonly PolicyDirectory _directory;
    private readonly Lock _gate = new();
    private FrozenDictionary<string, Opd>? _byCode;
    private IReadOnlyList<Opd> _all = [];

    /// <summary>Creates the catalog over <paramref name="directory"/>; nothing is read until <see cref="Load"/>.</summary>
    public OpdCatalog(PolicyDirectory directory)
    {
        _directory = directory;
    }

    /// <inheritdoc />
    public string Name => "identity/opd";

    /// <inheritdoc />
    public IReadOnlyList<string> Files { get; } = [FileName];

    /// <summary>All OPDs in file order.</summary>
    /// <exception cref="PolicyException">The file is invalid.</exception>
    public IReadOnlyList<Opd> All
    {
        get
        {
            EnsureLoaded();
            return _all;
        }
    }

    /// <summary>Finds an OPD by code (case-sensitive: codes are upper case).</summary>
    public bool TryFind(string code, out Opd opd)
    {
        EnsureLoaded();
        return _byCode!.TryGetValue(code, out opd!);
    }

    /// <inheritdoc />
    public IReadOnlyList<PolicyError> Load()
    {
        var file = YamlPolicyFile.Load(_directory, FileName);
        var parsed = Parse(file);
        if (file.Errors.Count == 0)
        {
            lock (_gate)
            {
                _all = parsed;
                _byCode = parsed.ToFrozenDictionary(o => o.Code, StringComparer.Ordinal);
            }
        }

        return file.Errors;
    }

    /// <summary>Parses and validates an already-read file; problems are recorded in <paramref name="file"/>.</summary>
    internal static List<Opd> Parse(YamlPolicyFile file)
    {
        var result = new List<Opd>();
        if (file.Root is null || file.AsMapping(file.Root, "the document") is not { } root)
        {
            return result;
        }

        file.RejectUnknownKeys(root, "opds");
        var entries = file.Sequence(root, "opds");
        if (entries is null)
        {
            return result;
        }

        if (entries.Children.Count == 0)
        {
            file.Error(entries, PolicyErrors.Missing, "'opds' must list at least one OPD");
        }

        var seen = new Dictionary<string, YamlNode>(StringComparer.OrdinalIgnoreCase);
        foreach (var node in entries.Children)
        {
            if (file.AsMapping(node, "an OPD entry") is not { } entry)
            {
                continue;
            }

            file.RejectUnknownKeys(entry, EntryKeys);
            var code = file.Scalar(entry, "code");
            var name = file.Scalar(entry, "name");
            var kindText = file.Scalar(entry, "kind");
            var active = file.Boolean(entry, "active", defaultValue: true);

            if (code is not null && !CodePattern().IsMatch(code))
            {
                file.Error(YamlPolicyFile.Node(entry, "code"), PolicyErrors.Invalid,
                    $"OPD code '{code}' must be 2-32 characters of A-Z, 0-9 and '-', starting with a letter");
                code = null;
            }
            else if (code is not null && seen.TryGetValue(code, out var first))
            {
                file.Error(YamlPolicyFile.Node(entry, "code"), PolicyErrors.Duplicate,
                    $"OPD code '{code}' is already used on line {first.Start.Line}");
                code = null;
            }
            else if (code is not null)
            {
                seen[code] = YamlPolicyFile.Node(entry, "code")!;
            }

            if (name is not null && name.Length > MaxNameLength)
            {
                file.Error(YamlPolicyFile.Node(entry, "name"), PolicyErrors.Invalid, $"an OPD name has at most {MaxNameLength} characters");
                name = null;
            }

            // Note: an exact name match; Enum.TryParse would also accept numbers and comma-separated combinations.
            var kind = Enum.GetValues<OpdKind>().FirstOrDefault(k => string.Equals(k.ToString(), kindText, StringComparison.OrdinalIgnoreCase));
            if (kindText is not null && !string.Equals(kind.ToString(), kindText, StringComparison.OrdinalIgnoreCase))
            {
                file.Error(YamlPolicyFile.Node(entry, "kind"), PolicyErrors.Invalid,
                    $"unknown kind '{kindText}' (allowed: {string.Join(", ", Enum.GetNames<OpdKind>().Select(n => n.ToLowerInvariant()))})");
                kindText = null;
            }

            if (code is not null && name is not null && kindText is not null)
            {
                result.Add(new Opd(code, name, kind, active));
            }
        }

        return result;
    }

    private void EnsureLoaded()
    {
        if (_byCode is not null)
        {
            return;
        }

        var errors = Load();
        if (errors.Count > 0)
        {
            throw new PolicyException(errors);
        }
    }

    [GeneratedRegex("^[A-Z][A-Z0-9-]{1,31}$", RegexOptions.CultureInvariant)]
    private static partial Regex CodePattern();
}
