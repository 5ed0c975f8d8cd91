using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Spbe.Security.Identity.Mfa;

namespace Spbe.Security.Identity.Accounts;

/// <summary>
/// ASP.NET Core Identity's user manager with exponential lockout back-off: each lockout that follows another
/// without a successful sign-in in between lasts twice as long (5, 10, 20 … minutes, at most
/// <see cref="AccountPolicy.MaxLockout"/>), so that a password-guessing run slows down geometrically.
/// </summary>
public sealed class SpbeUserManager(
    IUserStore<AsnUser> store,
    IOptions<IdentityOptions> optionsAccessor,
    IPasswordHasher<AsnUser> passwordHasher,
    IEnumerable<IUserValidator<AsnUser>> userValidators,
    IEnumerable<IPasswordValidator<AsnUser>> passwordValidators,
    ILookupNormalizer keyNormalizer,
    IdentityErrorDescriber errors,
    IServiceProvider services,
    ILogger<UserManager<AsnUser>> logger,
    TimeProvider time)
    : UserManager<AsnUser>(store, optionsAccessor, passwordHasher, userValidators, passwordValidators, keyNormalizer, errors, services, logger)
{
    private const string StreakName = "LockoutStreak";

    /// <inheritdoc />
    public override async Task<IdentityResult> AccessFailedAsync(AsnUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        var wasLockedOut = await IsLockedOutAsync(user);
        var previousEnd = await GetLockoutEndDateAsync(user);
        var result = await base.AccessFailedAsync(user);
        if (!result.Succeeded || wasLockedOut || !await IsLockedOutAsync(user))
        {
            return result;
        }

        // Note: the streak decays: a lockout more than a day after the previous one ended starts again at 5 minutes,
        // so that a guesser who knows a NIP cannot keep its owner out for ever at no cost.
        var decayed = previousEnd is not { } end || time.GetUtcNow() - end > TimeSpan.FromDays(1);
        var streak = (decayed ? 0 : await LockoutStreakAsync(user)) + 1;
        var lockout = AccountPolicy.LockoutDuration(Options.Lockout.DefaultLockoutTimeSpan, streak);
        await SetLockoutEndDateAsync(user, time.GetUtcNow() + lockout);
        return await SetAuthenticationTokenAsync(user, MfaService.TokenProvider, StreakName, streak.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>How many lockouts in a row the account has had since its last successful sign-in.</summary>
    public async Task<int> LockoutStreakAsync(AsnUser user) =>
        int.TryParse(await GetAuthenticationTokenAsync(user, MfaService.TokenProvider, StreakName), System.Globalization.CultureInfo.InvariantCulture, out var streak) ? streak : 0;

    /// <summary>Forgets earlier lockouts after a complete, successful sign-in.</summary>
    public async Task ResetLockoutStreakAsync(AsnUser user)
    {
        if (await LockoutStreakAsync(user) > 0)
        {
            await RemoveAuthenticationTokenAsync(user, MfaService.TokenProvider, StreakName);
        }
    }
}
