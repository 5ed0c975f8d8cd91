using System.Collections.Frozen;
using System.Globalization;
using System.Text.RegularExpressions;
using Spbe.Security.Pki.Keys;
using Spbe.Security.Policies;
using YamlDotNet.RepresentationModel;

namespace Spbe.Security.Pki.Profiles;

/// <summary>
/// The certificate profiles in <c>policies/pki/profiles/*.yaml</c>, validated at start-up: known key types, key
/// usages and purposes only, a validity between a day and ten years, the file named after the profile, and the
/// profiles the CA itself needs (<c>ocsp-signing</c>, <c>tsa</c>) present.
/// </summary>
public sealed partial class ProfileCatalog(PolicyDirectory directory) : IPolicySource
{
    /// <summary>The folder, relative to the policies directory.</summary>
    public const string Folder = "pki/profiles";

    /// <summary>keyUsage names a profile may use (end-entity usages only: CA bits are the CA's own business).</summary>
    public static readonly IReadOnlyList<string> KeyUsageNames = ["digitalSignature", "nonRepudiation", "keyEncipherment", "dataEncipherment", "keyAgreement"];

    /// <summary>extendedKeyUsage names a profile may use, with their OIDs.</summary>
    public static readonly FrozenDictionary<string, string> ExtendedKeyUsageOids = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["serverAuth"] = "1.3.6.1.5.5.7.3.1",
        ["clientAuth"] = "1.3.6.1.5.5.7.3.2",
        ["emailProtection"] = "1.3.6.1.5.5.7.3.4",
        ["timeStamping"] = "1.3.6.1.5.5.7.3.8",
        ["ocspSigning"] = "1.3.6.1.5.5.7.3.9",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private static readonly string[] Keys = ["name", "description", "subject", "validityDays", "keyAlgorithms", "keyUsage", "extendedKeyUsage", "extendedKeyUsageCritical", "ocspNoCheck", "dnsSuffixes"];
    private static readonly string[] Required = [CertificateProfile.OcspSigning, CertificateProfile.Tsa];

    private FrozenDictionary<string, CertificateProfile> _profiles = FrozenDictionary<string, CertificateProfile>.Empty;

    /// <inheritdoc />
    public string Name => "pki/profiles";

    /// <inheritdoc />
    public IReadOnlyList<string> Files { get; } = [Folder + "/*.yaml"];

    /// <summary>The profiles of the last successful <see cref="Load"/>, by name.</summary>
    public IReadOnlyDictionary<string, CertificateProfile> Profiles => _profiles;

    /// <summary>Finds a profile by name.</summary>
    public bool TryFind(string name, out CertificateProfile profile) => _profiles.TryGetValue(name, out profile!);

    /// <inheritdoc />
    public IReadOnlyList<PolicyError> Load()
    {
        var errors = new List<PolicyError>();
        var profiles = new Dictionary<string, CertificateProfile>(StringComparer.Ordinal);
        var folder = directory.PathOf(Folder);
        var files = Directory.Exists(folder) ? Directory.GetFiles(folder, "*.yaml").Order(StringComparer.Ordinal) : Enumerable.Empty<string>();
        foreach (var path in files)
        {
            var file = YamlPolicyFile.Load(directory, Path.GetRelativePath(directory.Root, path));
            var profile = Parse(file, Path.GetFileNameWithoutExtension(path));
            errors.AddRange(file.Errors);
            if (profile is not null && file.Errors.Count == 0)
            {
                profiles[profile.Name] = profile;
            }
        }

        foreach (var name in Required.Where(n => !profiles.ContainsKey(n) && !errors.Any(e => e.File.EndsWith($"/{n}.yaml", StringComparison.Ordinal))))
        {
            errors.Add(new PolicyError(directory.Display(Path.Combine(folder, name + ".yaml")), 0, 0, PolicyErrors.FileMissing,
                $"the CA needs the profile '{name}'"));
        }

        if (errors.Count == 0)
        {
            _profiles = profiles.ToFrozenDictionary(StringComparer.Ordinal);
        }

        return errors;
    }

    /// <summary>Parses and validates one profile file; problems are recorded in <paramref name="file"/>.</summary>
    internal static CertificateProfile? Parse(YamlPolicyFile file, string fileName)
    {
        if (file.Root is null || file.AsMapping(file.Root, "the document") is not { } root)
        {
            return null;
        }

        file.RejectUnknownKeys(root, Keys);
        var name = file.Scalar(root, "name");
        if (name is not null && name != fileName)
        {
            file.Error(YamlPolicyFile.Node(root, "name"), PolicyErrors.Invalid, $"the profile '{name}' must be in a file named {name}.yaml");
        }

        if (name is not null && !ProfileName().IsMatch(name))
        {
            file.Error(YamlPolicyFile.Node(root, "name"), PolicyErrors.Invalid, "a profile name is lower-case letters, digits and '-'");
        }

        var description = file.Scalar(root, "description") ?? string.Empty;
        var subjectText = file.Scalar(root, "subject");
        SubjectKind subject = default;
        if (subjectText is not null && !Enum.TryParse(subjectText, ignoreCase: true, out subject))
        {
            file.Error(YamlPolicyFile.Node(root, "subject"), PolicyErrors.Invalid, $"'subject' must be person, organization, server or service, not '{subjectText}'");
        }

        var validityText = file.Scalar(root, "validityDays");
        var validityDays = 0;
        if (validityText is not null && (!int.TryParse(validityText, NumberStyles.None, CultureInfo.InvariantCulture, out validityDays) || validityDays is < 1 or > 3650))
        {
            file.Error(YamlPolicyFile.Node(root, "validityDays"), PolicyErrors.Invalid, "'validityDays' must be a whole number from 1 to 3650");
        }

        var algorithms = new List<KeyAlgorithm>();
        foreach (var item in Items(file, root, "keyAlgorithms", required: true))
        {
            if (KeyAlgorithm.TryParse(item.Value, out var algorithm))
            {
                algorithms.Add(algorithm);
            }
            else
            {
                file.Error(item.Node, PolicyErrors.Invalid, $"'{item.Value}' is not a key type this CA issues for (allowed: {string.Join(", ", KeyAlgorithm.All.Select(a => a.Name))})");
            }
        }

        var keyUsage = new List<string>();
        foreach (var item in Items(file, root, "keyUsage", required: true))
        {
            if (KeyUsageNames.Contains(item.Value, StringComparer.Ordinal))
            {
                keyUsage.Add(item.Value);
            }
            else
            {
                file.Error(item.Node, PolicyErrors.Invalid, $"'{item.Value}' is not an end-entity key usage (allowed: {string.Join(", ", KeyUsageNames)})");
            }
        }

        var extendedKeyUsage = new List<string>();
        foreach (var item in Items(file, root, "extendedKeyUsage", required: false))
        {
            if (ExtendedKeyUsageOids.ContainsKey(item.Value))
            {
                extendedKeyUsage.Add(item.Value);
            }
            else
            {
                // Note: documentSigning is named on purpose: NSS and OpenSSL reject signer certificates whose only
                // purpose it is, so signatures made with them would not verify anywhere.
                var why = item.Value == "documentSigning" ? " (common validators reject it for document signatures; use emailProtection)" : string.Empty;
                file.Error(item.Node, PolicyErrors.Invalid, $"'{item.Value}' is not an allowed extended key usage{why} (allowed: {string.Join(", ", ExtendedKeyUsageOids.Keys)})");
            }
        }

        var critical = file.Boolean(root, "extendedKeyUsageCritical", false);
        var ocspNoCheck = file.Boolean(root, "ocspNoCheck", false);
        if (extendedKeyUsage.Contains("timeStamping") && (!critical || extendedKeyUsage.Count != 1))
        {
            file.Error(YamlPolicyFile.Node(root, "extendedKeyUsage"), PolicyErrors.Invalid, "RFC 3161: a timeStamping certificate has exactly that purpose, marked critical");
        }

        if (ocspNoCheck && !extendedKeyUsage.Contains("ocspSigning"))
        {
            file.Error(YamlPolicyFile.Node(root, "ocspNoCheck"), PolicyErrors.Invalid, "'ocspNoCheck' is for ocspSigning certificates only");
        }

        var suffixes = new List<string>();
        foreach (var item in Items(file, root, "dnsSuffixes", required: false))
        {
            if (subject != SubjectKind.Server)
            {
                file.Error(item.Node, PolicyErrors.Invalid, "'dnsSuffixes' is for server profiles only");
            }
            else if (!DnsSuffix().IsMatch(item.Value))
            {
                file.Error(item.Node, PolicyErrors.Invalid, $"'{item.Value}' is not a domain (e.g. go.id)");
            }
            else
            {
                suffixes.Add(item.Value.ToLowerInvariant());
            }
        }

        if (name is null || subjectText is null || validityDays == 0 || algorithms.Count == 0 || keyUsage.Count == 0)
        {
            return null;
        }

        return new CertificateProfile(name, description, subject, TimeSpan.FromDays(validityDays), algorithms, keyUsage, extendedKeyUsage, critical, ocspNoCheck, suffixes);
    }

    private static IEnumerable<(string Value, YamlNode Node)> Items(YamlPolicyFile file, YamlMappingNode root, string key, bool required)
    {
        var sequence = file.Sequence(root, key, required);
        if (sequence is null)
        {
            yield break;
        }

        if (required && sequence.Children.Count == 0)
        {
            file.Error(sequence, PolicyErrors.Missing, $"'{key}' must not be empty");
        }

        foreach (var node in sequence.Children)
        {
            if (node is YamlScalarNode { Value: { } value } && !string.IsNullOrWhiteSpace(value))
            {
                yield return (value.Trim(), node);
            }
            else
            {
                file.Error(node, PolicyErrors.WrongType, $"each item of '{key}' must be a single value");
            }
        }
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,62}$", RegexOptions.CultureInvariant)]
    private static partial Regex ProfileName();

    [GeneratedRegex("^([a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)(\\.[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$", RegexOptions.CultureInvariant)]
    private static partial Regex DnsSuffix();
}
