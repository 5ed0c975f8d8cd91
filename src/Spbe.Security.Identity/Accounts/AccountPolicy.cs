using Microsoft.AspNetCore.Identity;
using Spbe.Security.Identity.Persistence;

namespace Spbe.Security.Identity.Accounts;

/// <summary>Password, lockout and user-name rules for ASN accounts.</summary>
public static class AccountPolicy
{
    /// <summary>The longest a single lockout lasts, however many came before it.</summary>
    public static readonly TimeSpan MaxLockout = TimeSpan.FromHours(24);

    /// <summary>How long the <paramref name="streak"/>-th lockout in a row lasts: <paramref name="first"/> doubled each time.</summary>
    public static TimeSpan LockoutDuration(TimeSpan first, int streak)
    {
        var doublings = Math.Clamp(streak - 1, 0, 20);
        var duration = first * Math.Pow(2, doublings);
        return duration > MaxLockout ? MaxLockout : duration;
    }

    internal static void Configure(IdentityOptions options)
    {
        IdentityStoreSchema.Configure(options.Stores);

        // Note: length beats composition rules (NIST SP 800-63B); 12 characters minimum, any characters allowed.
        options.Password.RequiredLength = 12;
        options.Password.RequireDigit = false;
        options.Password.RequireLowercase = false;
        options.Password.RequireUppercase = false;
        options.Password.RequireNonAlphanumeric = false;
        options.Password.RequiredUniqueChars = 4;

        options.User.AllowedUserNameCharacters = "0123456789";
        options.User.RequireUniqueEmail = false;

        options.Lockout.AllowedForNewUsers = true;
        options.Lockout.MaxFailedAccessAttempts = 5;
        options.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(5);
        options.SignIn.RequireConfirmedAccount = true; // "confirmed" = not disabled (AccountConfirmation)
    }
}
