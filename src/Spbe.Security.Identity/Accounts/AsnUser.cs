using Microsoft.AspNetCore.Identity;

namespace Spbe.Security.Identity.Accounts;

/// <summary>
/// A civil servant (Aparatur Sipil Negara) account. The user name is the 18-digit NIP; the account belongs to exactly
/// one OPD and holds a jabatan (position).
/// </summary>
public sealed class AsnUser : IdentityUser<Guid>
{
    /// <summary>The full name as shown to relying parties (<c>name</c> claim).</summary>
    public required string DisplayName { get; set; }

    /// <summary>The code of the user's OPD (<c>opd</c> claim), from policies/identity/opd.yaml.</summary>
    public required string OpdCode { get; set; }

    /// <summary>The position (<c>jabatan</c> claim), free text as the personnel system writes it.</summary>
    public string? Jabatan { get; set; }

    /// <summary>Whether an administrator disabled the account; disabled accounts cannot sign in or refresh tokens.</summary>
    public bool Disabled { get; set; }

    /// <summary>The NIP (the user name).</summary>
    public string Nip => UserName ?? string.Empty;
}
