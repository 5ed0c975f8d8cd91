using System.Net;

namespace Spbe.Security.Soc.Ingest;

/// <summary>One entry of <c>policies/soc/sources.yaml</c>.</summary>
/// <param name="Identity">The name and OPD events from it carry.</param>
/// <param name="Networks">Sender addresses (CIDR) that belong to it.</param>
/// <param name="TokenSha256">SHA-256 (lower-case hex) of its HTTP bearer token, if it sends over HTTP.</param>
/// <param name="TlsSubject">The subject its TLS client certificate must have (e.g. <c>CN=fw01.dukcapil</c>).</param>
/// <param name="TlsThumbprintSha256">Or the SHA-256 thumbprint of that certificate (hex).</param>
public sealed record SourceEntry(
    SourceIdentity Identity, IReadOnlyList<IPNetwork> Networks, string? TokenSha256, string? TlsSubject, string? TlsThumbprintSha256);
