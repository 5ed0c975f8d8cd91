using Spbe.Security.Policies;
using YamlDotNet.RepresentationModel;

namespace Spbe.Security.Identity.Clients;

/// <summary>
/// Client applications declared in <c>policies/identity/clients/*.json</c>, one per file, validated at start-up with
/// the same rules as <c>spbe identity client add</c>. Secrets never sit in the files: a confidential client names the
/// environment variable that holds its secret.
/// </summary>
/// <remarks>JSON is read with the YAML reader (JSON is a subset of YAML), so every problem carries its line.</remarks>
public sealed class ClientPolicyCatalog(PolicyDirectory directory) : IPolicySource
{
    /// <summary>The folder of client files, relative to the policies directory.</summary>
    public const string Folder = "identity/clients";

    private static readonly string[] Keys = ["clientId", "displayName", "type", "secretVariable", "grants", "redirectUris", "postLogoutRedirectUris", "scopes", "thirdParty", "backchannelLogoutUri"];

    private IReadOnlyList<PolicyClient> _clients = [];

    /// <inheritdoc />
    public string Name => "identity/clients";

    /// <inheritdoc />
    public IReadOnlyList<string> Files { get; } = [Folder + "/*.json"];

    /// <summary>The clients of the last successful <see cref="Load"/>.</summary>
    public IReadOnlyList<PolicyClient> Clients => _clients;

    /// <inheritdoc />
    public IReadOnlyList<PolicyError> Load()
    {
        var folder = directory.PathOf(Folder);
        var errors = new List<PolicyError>();
        var clients = new List<PolicyClient>();
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        var files = Directory.Exists(folder) ? Directory.GetFiles(folder, "*.json").Order(StringComparer.Ordinal) : Enumerable.Empty<string>();
        foreach (var path in files)
        {
            var file = YamlPolicyFile.Load(directory, Path.GetRelativePath(directory.Root, path));
            if (Parse(file) is { } client)
            {
                if (seen.TryGetValue(client.Registration.ClientId, out var other))
                {
                    file.Error(file.Root, PolicyErrors.Duplicate, $"client '{client.Registration.ClientId}' is already declared in {other}");
                }
                else
                {
                    seen[client.Registration.ClientId] = file.DisplayPath;
                    clients.Add(client);
                }
            }

            errors.AddRange(file.Errors);
        }

        if (errors.Count == 0)
        {
            _clients = clients;
        }

        return errors;
    }

    internal static PolicyClient? Parse(YamlPolicyFile file)
    {
        if (file.Root is null || file.AsMapping(file.Root, "a client file") is not { } root)
        {
            return null;
        }

        file.RejectUnknownKeys(root, Keys);
        var clientId = file.Scalar(root, "clientId");
        var type = file.Scalar(root, "type");
        var secretVariable = file.Scalar(root, "secretVariable", required: false);
        var errorsBefore = file.Errors.Count;
        if (type is not ("public" or "confidential"))
        {
            file.Error(YamlPolicyFile.Node(root, "type"), PolicyErrors.Invalid, "'type' is 'public' or 'confidential'");
        }
        else if (type == "confidential" && secretVariable is null)
        {
            file.Error(root, PolicyErrors.Missing, "a confidential client names the environment variable of its secret in 'secretVariable'");
        }
        else if (type == "public" && secretVariable is not null)
        {
            file.Error(YamlPolicyFile.Node(root, "secretVariable"), PolicyErrors.Invalid, "a public client has no secret");
        }

        var registration = new NewClient(
            clientId ?? string.Empty,
            file.Scalar(root, "displayName", required: false),
            Strings(file, root, "grants", required: true),
            NewClient.ParseUris(Strings(file, root, "redirectUris", required: false)),
            NewClient.ParseUris(Strings(file, root, "postLogoutRedirectUris", required: false)),
            Strings(file, root, "scopes", required: false),
            Public: type == "public",
            Secret: null,
            ThirdParty: file.Boolean(root, "thirdParty", defaultValue: false),
            BackchannelLogoutUri: file.Scalar(root, "backchannelLogoutUri", required: false) is { } logout ? NewClient.ParseUris([logout])[0] : null);
        if (file.Errors.Count > errorsBefore || clientId is null)
        {
            return null;
        }

        if (ClientService.Validate(registration) is { } problem)
        {
            file.Error(root, PolicyErrors.Invalid, problem);
            return null;
        }

        return new PolicyClient(registration, secretVariable, file.DisplayPath);
    }

    private static List<string> Strings(YamlPolicyFile file, YamlMappingNode root, string key, bool required)
    {
        var values = new List<string>();
        if (file.Sequence(root, key, required) is not { } sequence)
        {
            return values;
        }

        foreach (var item in sequence.Children)
        {
            if (item is YamlScalarNode { Value: { Length: > 0 } value })
            {
                values.Add(value);
            }
            else
            {
                file.Error(item, PolicyErrors.WrongType, $"'{key}' holds strings");
            }
        }

        return values;
    }
}
