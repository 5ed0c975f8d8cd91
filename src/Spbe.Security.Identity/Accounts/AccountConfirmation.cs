using Microsoft.AspNetCore.Identity;

namespace Spbe.Security.Identity.Accounts;

/// <summary>An account may sign in unless an administrator disabled it (ASP.NET Core Identity then reports
/// <c>IsNotAllowed</c>, and refresh and code redemption refuse it too).</summary>
internal sealed class AccountConfirmation : IUserConfirmation<AsnUser>
{
    public Task<bool> IsConfirmedAsync(UserManager<AsnUser> manager, AsnUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return Task.FromResult(!user.Disabled);
    }
}
