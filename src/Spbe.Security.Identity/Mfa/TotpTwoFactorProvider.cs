using Microsoft.AspNetCore.Identity;
using Spbe.Security.Identity.Accounts;

namespace Spbe.Security.Identity.Mfa;

/// <summary>
/// Tells ASP.NET Core Identity that an account with a confirmed authenticator needs a second step after the
/// password. The codes themselves are checked by <see cref="MfaService"/> (which also refuses replays), never here.
/// </summary>
internal sealed class TotpTwoFactorProvider : IUserTwoFactorTokenProvider<AsnUser>
{
    public const string Name = "SpbeTotp";

    public async Task<bool> CanGenerateTwoFactorTokenAsync(UserManager<AsnUser> manager, AsnUser user) =>
        await manager.GetAuthenticationTokenAsync(user, MfaService.TokenProvider, MfaService.SecretTokenName) is not null;

    public Task<string> GenerateAsync(string purpose, UserManager<AsnUser> manager, AsnUser user) =>
        throw new NotSupportedException("TOTP codes come from the user's authenticator app.");

    public Task<bool> ValidateAsync(string purpose, string token, UserManager<AsnUser> manager, AsnUser user) => Task.FromResult(false);
}
