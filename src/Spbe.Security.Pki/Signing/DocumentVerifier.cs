using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Options;
using Spbe.Security.Pki.Authority;

namespace Spbe.Security.Pki.Signing;

/// <summary>
/// Verification anyone can use: validates the signatures of a PDF against our root and the configured further trust
/// anchors (<see cref="PkiOptions.TrustAnchorFiles"/>), with our CA's own records as the revocation source of last
/// resort for the certificates it issued.
/// </summary>
public sealed class DocumentVerifier
{
    /// <summary>The largest document accepted (bytes).</summary>
    public const int MaxDocumentSize = 64 * 1024 * 1024;

    private readonly CaHierarchy _hierarchy;
    private readonly CertificateAuthority _authority;
    private readonly PkiOptions _options;
    private readonly TimeProvider _time;
    private readonly Lock _anchorsGate = new();
    private (byte[]? Root, IReadOnlyList<X509Certificate2> Anchors)? _anchors;

    internal DocumentVerifier(CaHierarchy hierarchy, CertificateAuthority authority, IOptions<PkiOptions> options, TimeProvider time)
    {
        _hierarchy = hierarchy;
        _authority = authority;
        _options = options.Value;
        _time = time;
    }

    /// <summary>Validates every signature in <paramref name="pdf"/>.</summary>
    public async Task<VerificationReport> VerifyPdfAsync(ReadOnlyMemory<byte> pdf, CancellationToken cancellationToken = default)
    {
        if (pdf.Length > MaxDocumentSize)
        {
            return new VerificationReport(Indications.Indeterminate, SubIndications.FormatFailure, Convert.ToHexStringLower(SHA256.HashData(pdf.Span)), [],
                $"the document is larger than {MaxDocumentSize / (1024 * 1024)} MiB");
        }

        return await new PdfSignatureVerifier(TrustAnchors(), LookupAsync, _time).VerifyAsync(pdf, cancellationToken);
    }

    /// <summary>Validates a detached CAdES signature (<c>.p7s</c>) over a file of any kind.</summary>
    public async Task<VerificationReport> VerifyDetachedAsync(ReadOnlyMemory<byte> content, byte[] signature, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(signature);
        return await new PdfSignatureVerifier(TrustAnchors(), LookupAsync, _time).VerifyDetachedAsync(content, signature, cancellationToken);
    }

    private async Task<(Persistence.CertificateState, DateTimeOffset?)?> LookupAsync(string serialHex, CancellationToken cancellationToken)
    {
        var found = await _authority.FindAsync(serialHex, cancellationToken);
        return found is null || found.Ca != CaHierarchy.Issuing ? null : (found.State, found.RevokedAt);
    }

    /// <summary>Our root and the configured anchors, loaded once and again only when the root changes (a new
    /// hierarchy); the anchor files are read at that time, not on every verification.</summary>
    private IReadOnlyList<X509Certificate2> TrustAnchors()
    {
        byte[]? root;
        try
        {
            root = _hierarchy.Current.Root.Der;
        }
        catch (SpbeException)
        {
            root = null;
        }

        lock (_anchorsGate)
        {
            if (_anchors is { } cached && ReferenceEquals(cached.Root, root))
            {
                return cached.Anchors;
            }

            var anchors = new List<X509Certificate2>();
            if (root is not null)
            {
                anchors.Add(X509CertificateLoader.LoadCertificate(root));
            }

            foreach (var file in _options.TrustAnchorFiles)
            {
                var bytes = File.ReadAllBytes(file);
                anchors.Add(bytes.AsSpan().StartsWith("-----BEGIN"u8)
                    ? X509Certificate2.CreateFromPem(System.Text.Encoding.ASCII.GetString(bytes))
                    : X509CertificateLoader.LoadCertificate(bytes));
            }

            // Note: the previous list is left to the collector: a verification still running may be using it.
            _anchors = (root, anchors);
            return anchors;
        }
    }
}
