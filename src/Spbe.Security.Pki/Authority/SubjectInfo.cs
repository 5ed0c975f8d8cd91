namespace Spbe.Security.Pki.Authority;

/// <summary>
/// Who a certificate is for, as the registration authority knows it (from the ASN account or the OPD list, never from
/// the request). Which fields are needed depends on the profile's <see cref="Profiles.SubjectKind"/>.
/// </summary>
/// <param name="Name">The official's name (person), the OPD's name (organization) or the service's name.</param>
/// <param name="Nip">The official's NIP (person).</param>
/// <param name="OpdCode">The OPD's code.</param>
/// <param name="Jabatan">The official's position (person).</param>
/// <param name="Email">An e-mail address for subjectAltName, if any.</param>
/// <param name="DnsNames">The server's DNS names (server).</param>
public sealed record SubjectInfo(
    string Name,
    string? Nip = null,
    string? OpdCode = null,
    string? Jabatan = null,
    string? Email = null,
    IReadOnlyList<string>? DnsNames = null);
