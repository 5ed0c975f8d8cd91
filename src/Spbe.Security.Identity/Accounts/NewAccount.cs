namespace Spbe.Security.Identity.Accounts;

/// <summary>What an administrator supplies to create an ASN account.</summary>
/// <param name="Nip">The 18-digit NIP (the user name).</param>
/// <param name="DisplayName">The full name.</param>
/// <param name="OpdCode">The OPD code from policies/identity/opd.yaml.</param>
/// <param name="Jabatan">The position, optional.</param>
/// <param name="Email">The e-mail address, optional.</param>
/// <param name="Roles">Product roles from <see cref="SpbeRoles"/>.</param>
public sealed record NewAccount(string Nip, string DisplayName, string OpdCode, string? Jabatan, string? Email, IReadOnlyList<string> Roles);
