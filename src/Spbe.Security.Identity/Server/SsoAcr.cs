namespace Spbe.Security.Identity.Server;

/// <summary>
/// The authentication context classes (<c>acr</c>) the provider signs into tokens and accepts in <c>acr_values</c>.
/// An application that needs a second factor (the signing service does) asks for <see cref="Mfa"/>.
/// </summary>
public static class SsoAcr
{
    /// <summary>Password only.</summary>
    public const string Password = "urn:spbe:acr:pwd";

    /// <summary>Password plus a second factor (TOTP, recovery code or passkey with user verification).</summary>
    public const string Mfa = "urn:spbe:acr:mfa";

    /// <summary>What discovery advertises as <c>acr_values_supported</c>.</summary>
    public static IReadOnlyList<string> Supported { get; } = [Password, Mfa];

    /// <summary>The <c>acr</c> reached by a sign-in that used <paramref name="methods"/> (its <c>amr</c> values).</summary>
    public static string Of(IEnumerable<string> methods) => methods.Contains(AuthenticationMethods.Mfa, StringComparer.Ordinal) ? Mfa : Password;

    /// <summary>Whether <paramref name="acrValues"/> (space-separated, in order of preference) can only be met with a
    /// second factor: <see cref="Mfa"/> is listed and <see cref="Password"/> is not. Unknown values are ignored.</summary>
    public static bool RequiresMfa(string? acrValues)
    {
        var values = (acrValues ?? string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return values.Contains(Mfa, StringComparer.Ordinal) && !values.Contains(Password, StringComparer.Ordinal);
    }
}

/// <summary>The RFC 8176 <c>amr</c> values the provider uses.</summary>
public static class AuthenticationMethods
{
    /// <summary>Password.</summary>
    public const string Password = "pwd";

    /// <summary>One-time password (TOTP).</summary>
    public const string OneTimePassword = "otp";

    /// <summary>Hardware-bound key (passkey).</summary>
    public const string HardwareKey = "hwk";

    /// <summary>User presence/verification on the authenticator.</summary>
    public const string UserPresence = "user";

    /// <summary>Multiple factors.</summary>
    public const string Mfa = "mfa";
}
