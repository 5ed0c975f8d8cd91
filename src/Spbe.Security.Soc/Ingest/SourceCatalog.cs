using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.RegularExpressions;
using Spbe.Security.Policies;
using YamlDotNet.RepresentationModel;

namespace Spbe.Security.Soc.Ingest;

/// <summary>
/// Who sends what: <c>policies/soc/sources.yaml</c> maps sender networks (CIDR), TLS client certificates and HTTP bearer
/// tokens to a source name and an OPD. A sender that matches nothing is still accepted, as <see cref="SourceIdentity.Unknown"/>
/// with <see cref="IngestFlags.UnknownSource"/>; an HTTP request without a known token is refused.
/// </summary>
public sealed partial class SourceCatalog : IPolicySource
{
    /// <summary>The file, relative to the policies directory.</summary>
    public const string FileName = "soc/sources.yaml";

    private static readonly string[] EntryKeys = ["name", "opd", "networks", "http_token_sha256", "http_token_env", "tls_client_subject", "tls_client_sha256"];

    private readonly PolicyDirectory _directory;
    private volatile IReadOnlyList<SourceEntry>? _entries;

    /// <summary>Creates the catalog over <paramref name="directory"/>; nothing is read until <see cref="Load"/>.</summary>
    public SourceCatalog(PolicyDirectory directory)
    {
        _directory = directory;
    }

    /// <inheritdoc />
    public string Name => "soc/sources";

    /// <inheritdoc />
    public IReadOnlyList<string> Files { get; } = [FileName];

    /// <summary>The entries in file order.</summary>
    public IReadOnlyList<SourceEntry> Entries => _entries ?? LoadOrThrow();

    /// <inheritdoc />
    public IReadOnlyList<PolicyError> Load()
    {
        var file = YamlPolicyFile.Load(_directory, FileName);
        var entries = Parse(file, Environment.GetEnvironmentVariable);
        if (file.Errors.Count == 0)
        {
            _entries = entries;
        }

        return file.Errors;
    }

    /// <summary>The source of a sender address: the entry with the longest matching network.</summary>
    public SourceIdentity? ForAddress(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        SourceIdentity? best = null;
        var bestLength = -1;
        foreach (var entry in Entries)
        {
            foreach (var network in entry.Networks)
            {
                if (network.PrefixLength > bestLength && network.Contains(address))
                {
                    best = entry.Identity;
                    bestLength = network.PrefixLength;
                }
            }
        }

        return best;
    }

    /// <summary>The source whose HTTP token is <paramref name="token"/> (compared by hash, in constant time).</summary>
    public SourceIdentity? ForToken(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
        SourceIdentity? found = null;
        foreach (var entry in Entries)
        {
            if (entry.TokenSha256 is { } expected
                && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(hash)))
            {
                found = entry.Identity;
            }
        }

        return found;
    }

    /// <summary>The source a TLS client certificate belongs to (by SHA-256 thumbprint, then by subject).</summary>
    public SourceIdentity? ForCertificate(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        var thumbprint = Convert.ToHexStringLower(certificate.GetCertHash(HashAlgorithmName.SHA256));
        return Entries.FirstOrDefault(e => e.TlsThumbprintSha256 == thumbprint)?.Identity
            ?? Entries.FirstOrDefault(e => e.TlsSubject is { } s && SameName(s, certificate.SubjectName))?.Identity;
    }

    /// <summary>Parses and validates an already-read file; <paramref name="environment"/> resolves <c>http_token_env</c>.</summary>
    internal static List<SourceEntry> Parse(YamlPolicyFile file, Func<string, string?> environment)
    {
        var result = new List<SourceEntry>();
        if (file.Root is null || file.AsMapping(file.Root, "the document") is not { } root)
        {
            return result;
        }

        file.RejectUnknownKeys(root, "sources");
        var entries = file.Sequence(root, "sources", required: false);
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var node in entries?.Children ?? [])
        {
            if (file.AsMapping(node, "a source entry") is not { } entry)
            {
                continue;
            }

            file.RejectUnknownKeys(entry, EntryKeys);
            var name = file.Scalar(entry, "name");
            var opd = file.Scalar(entry, "opd");
            if (name is not null && !NamePattern().IsMatch(name))
            {
                file.Error(YamlPolicyFile.Node(entry, "name"), PolicyErrors.Invalid, $"source name '{name}' must be 1-64 characters of a-z, 0-9, '.', '_' and '-'");
                name = null;
            }
            else if (name is not null && !names.Add(name))
            {
                file.Error(YamlPolicyFile.Node(entry, "name"), PolicyErrors.Duplicate, $"source name '{name}' is used twice");
                name = null;
            }

            if (opd is not null && !OpdPattern().IsMatch(opd))
            {
                file.Error(YamlPolicyFile.Node(entry, "opd"), PolicyErrors.Invalid, $"OPD code '{opd}' must be 2-32 characters of A-Z, 0-9 and '-' (see identity/opd.yaml)");
                opd = null;
            }

            var networks = new List<IPNetwork>();
            if (file.Sequence(entry, "networks", required: false) is { } list)
            {
                foreach (var item in list.Children)
                {
                    var text = (item as YamlScalarNode)?.Value;
                    if (text is not null && IPNetwork.TryParse(text, out var network) && network.BaseAddress.AddressFamily is AddressFamily.InterNetwork or AddressFamily.InterNetworkV6)
                    {
                        networks.Add(network);
                    }
                    else
                    {
                        file.Error(item, PolicyErrors.Invalid, $"'{text}' is not a network in CIDR form with its host bits zero (e.g. 10.20.0.0/24)");
                    }
                }
            }

            var token = file.Scalar(entry, "http_token_sha256", required: false)?.ToLowerInvariant();
            if (token is not null && !Sha256Pattern().IsMatch(token))
            {
                file.Error(YamlPolicyFile.Node(entry, "http_token_sha256"), PolicyErrors.Invalid, "'http_token_sha256' must be 64 hex digits (sha256sum of the token)");
                token = null;
            }

            if (file.Scalar(entry, "http_token_env", required: false) is { } variable)
            {
                // Note: a token named by an unset variable leaves the source without HTTP ingest (deny by default).
                token ??= environment(variable) is { Length: > 0 } value ? Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value))) : null;
            }

            var thumbprint = file.Scalar(entry, "tls_client_sha256", required: false)?.Replace(":", "", StringComparison.Ordinal).ToLowerInvariant();
            if (thumbprint is not null && !Sha256Pattern().IsMatch(thumbprint))
            {
                file.Error(YamlPolicyFile.Node(entry, "tls_client_sha256"), PolicyErrors.Invalid, "'tls_client_sha256' must be a SHA-256 certificate fingerprint (64 hex digits)");
                thumbprint = null;
            }

            var subject = file.Scalar(entry, "tls_client_subject", required: false);
            if (subject is not null)
            {
                try
                {
                    _ = new X500DistinguishedName(subject);
                }
                catch (CryptographicException)
                {
                    file.Error(YamlPolicyFile.Node(entry, "tls_client_subject"), PolicyErrors.Invalid, $"'{subject}' is not a distinguished name (e.g. CN=fw01.dukcapil)");
                    subject = null;
                }
            }

            if (name is not null && opd is not null)
            {
                result.Add(new SourceEntry(new SourceIdentity(name, opd), networks, token, subject, thumbprint));
            }
        }

        return result;
    }

    private static bool SameName(string expected, X500DistinguishedName actual)
    {
        var wanted = new X500DistinguishedName(expected);
        return string.Equals(Normalize(wanted), Normalize(actual), StringComparison.OrdinalIgnoreCase);
    }

    private static string Normalize(X500DistinguishedName name) =>
        string.Join(",", name.EnumerateRelativeDistinguishedNames().Select(r => $"{r.GetSingleElementType().Value}={r.GetSingleElementValue()}"));

    private IReadOnlyList<SourceEntry> LoadOrThrow()
    {
        var errors = Load();
        return errors.Count > 0 ? throw new PolicyException(errors) : _entries!;
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]{0,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();

    [GeneratedRegex("^[A-Z][A-Z0-9-]{1,31}$", RegexOptions.CultureInvariant)]
    private static partial Regex OpdPattern();

    [GeneratedRegex("^[0-9a-f]{64}$", RegexOptions.CultureInvariant)]
    private static partial Regex Sha256Pattern();
}
