using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Identity;
using Spbe.Security.Identity.Accounts;
using Spbe.Security.Identity.Events;
using Spbe.Security.Keys;

namespace Spbe.Security.Identity.Mfa;

/// <summary>
/// Second factors of an ASN account: a TOTP authenticator (RFC 6238) and single-use recovery codes. The TOTP secret
/// is sealed under the master key, recovery codes are stored as hashes only, and a code accepted once is never
/// accepted again (the last matched time step is remembered). Failures count towards the account lockout.
/// </summary>
public sealed class MfaService(UserManager<AsnUser> users, MasterKeyProvider masterKeys, ISecurityEventSink events, TimeProvider time)
{
    /// <summary>The login provider name under which the factors live in the user-token table.</summary>
    public const string TokenProvider = "[Spbe]";

    /// <summary>How many recovery codes an enrolment (or regeneration) hands out.</summary>
    public const int RecoveryCodeCount = 10;

    /// <summary>The user-token name of the sealed TOTP secret.</summary>
    public const string SecretTokenName = "TotpSecret";
    private const string SecretName = SecretTokenName;
    private const string PendingName = "TotpPending";
    private const string LastStepName = "TotpLastStep";
    private const string RecoveryName = "RecoveryCodes";
    private const string SealPurpose = "identity/totp-secret";
    private const string RecoveryAlphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    private const string Issuer = "SSO SPBE";

    /// <summary>Whether the account has a confirmed authenticator.</summary>
    public async Task<bool> IsEnrolledAsync(AsnUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return user.TwoFactorEnabled && await users.GetAuthenticationTokenAsync(user, TokenProvider, SecretName) is not null;
    }

    /// <summary>Starts (or restarts) enrolment: a new secret, kept pending until a code from it is confirmed.</summary>
    public async Task<TotpEnrolment> BeginEnrolmentAsync(AsnUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        var secret = RandomNumberGenerator.GetBytes(20);
        await users.SetAuthenticationTokenAsync(user, TokenProvider, PendingName, Seal(secret));
        var base32 = Base32.Encode(secret);
        var label = Uri.EscapeDataString($"{Issuer}:{user.Nip}");
        var uri = $"otpauth://totp/{label}?secret={base32}&issuer={Uri.EscapeDataString(Issuer)}&algorithm=SHA1&digits={Totp.Digits}&period={Totp.StepSeconds}";
        return new TotpEnrolment(base32, uri);
    }

    /// <summary>Confirms the pending secret with a code from the app; on success the account requires MFA from now on
    /// and the returned recovery codes (shown once) replace any earlier ones.</summary>
    public async Task<IReadOnlyList<string>?> ConfirmEnrolmentAsync(AsnUser user, string code, string? sourceIp)
    {
        ArgumentNullException.ThrowIfNull(user);
        var pending = await users.GetAuthenticationTokenAsync(user, TokenProvider, PendingName);
        if (pending is null || Unseal(pending) is not { } secret || Totp.Match(secret, code, time.GetUtcNow()) is not { } step)
        {
            await WriteAsync(user, SecurityEventActions.MfaEnrolled, "failure", sourceIp, "bad-code");
            return null;
        }

        await users.SetAuthenticationTokenAsync(user, TokenProvider, SecretName, pending);
        await users.SetAuthenticationTokenAsync(user, TokenProvider, LastStepName, step.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await users.RemoveAuthenticationTokenAsync(user, TokenProvider, PendingName);
        var codes = await NewRecoveryCodesAsync(user);
        await users.SetTwoFactorEnabledAsync(user, true);
        await WriteAsync(user, SecurityEventActions.MfaEnrolled, "success", sourceIp, "totp");
        return codes;
    }

    /// <summary>Checks a TOTP code or a recovery code. Failures count towards the lockout; a replayed TOTP code and a
    /// used recovery code fail.</summary>
    public async Task<MfaCheck> VerifyAsync(AsnUser user, string code, string? sourceIp)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (await users.IsLockedOutAsync(user))
        {
            await WriteAsync(user, SecurityEventActions.MfaChallenge, "failure", sourceIp, "locked-out");
            return MfaCheck.LockedOut;
        }

        var check = Totp.Normalize(code).Length == Totp.Digits ? await CheckTotpAsync(user, code) : await RedeemRecoveryCodeAsync(user, code);
        if (check is MfaCheck.Totp or MfaCheck.RecoveryCode)
        {
            await users.ResetAccessFailedCountAsync(user);
            await WriteAsync(user, SecurityEventActions.MfaChallenge, "success", sourceIp, check == MfaCheck.Totp ? "totp" : "recovery-code");
            return check;
        }

        await users.AccessFailedAsync(user);
        var locked = await users.IsLockedOutAsync(user);
        await WriteAsync(user, locked ? SecurityEventActions.Lockout : SecurityEventActions.MfaChallenge, "failure", sourceIp,
            check == MfaCheck.Replayed ? "replayed-code" : "bad-code");
        return locked ? MfaCheck.LockedOut : check;
    }

    /// <summary>Removes every second factor of the account (lost phone), and ends its sessions.</summary>
    public async Task<AccountResult> ResetAsync(string nip, string? actor)
    {
        if (await users.FindByNameAsync(nip) is not { } user)
        {
            return AccountResult.Fail(IdentityErrors.UnknownAccount, $"no account with NIP {nip}");
        }

        foreach (var name in new[] { SecretName, PendingName, LastStepName, RecoveryName })
        {
            await users.RemoveAuthenticationTokenAsync(user, TokenProvider, name);
        }

        await users.SetTwoFactorEnabledAsync(user, false);
        await users.UpdateSecurityStampAsync(user);
        await events.WriteAsync(new SecurityEvent(time.GetUtcNow(), SecurityEventActions.MfaReset, "success",
            UserName: user.Nip, Opd: user.OpdCode, Actor: actor));
        return AccountResult.Ok(user);
    }

    /// <summary>How many unused recovery codes the account has left.</summary>
    public async Task<int> RecoveryCodesLeftAsync(AsnUser user) =>
        (await users.GetAuthenticationTokenAsync(user, TokenProvider, RecoveryName))?.Split(';', StringSplitOptions.RemoveEmptyEntries).Length ?? 0;

    private async Task<MfaCheck> CheckTotpAsync(AsnUser user, string code)
    {
        var stored = await users.GetAuthenticationTokenAsync(user, TokenProvider, SecretName);
        if (stored is null || Unseal(stored) is not { } secret || Totp.Match(secret, code, time.GetUtcNow()) is not { } step)
        {
            return MfaCheck.Invalid;
        }

        var last = await users.GetAuthenticationTokenAsync(user, TokenProvider, LastStepName);
        if (last is not null && long.TryParse(last, System.Globalization.CultureInfo.InvariantCulture, out var lastStep) && step <= lastStep)
        {
            return MfaCheck.Replayed;
        }

        // Note: the update checks the concurrency stamp, so two requests racing with one code cannot both succeed.
        var saved = await users.SetAuthenticationTokenAsync(user, TokenProvider, LastStepName, step.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return saved.Succeeded ? MfaCheck.Totp : MfaCheck.Replayed;
    }

    private async Task<MfaCheck> RedeemRecoveryCodeAsync(AsnUser user, string code)
    {
        var stored = await users.GetAuthenticationTokenAsync(user, TokenProvider, RecoveryName);
        if (stored is null)
        {
            return MfaCheck.Invalid;
        }

        var hashes = stored.Split(';', StringSplitOptions.RemoveEmptyEntries).ToList();
        var typed = HashRecoveryCode(code);
        var index = hashes.FindIndex(h => CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(h), Encoding.ASCII.GetBytes(typed)));
        if (index < 0)
        {
            return MfaCheck.Invalid;
        }

        hashes.RemoveAt(index);
        var saved = await users.SetAuthenticationTokenAsync(user, TokenProvider, RecoveryName, string.Join(';', hashes));
        return saved.Succeeded ? MfaCheck.RecoveryCode : MfaCheck.Invalid;
    }

    private async Task<IReadOnlyList<string>> NewRecoveryCodesAsync(AsnUser user)
    {
        var codes = Enumerable.Range(0, RecoveryCodeCount)
            .Select(_ => RandomNumberGenerator.GetString(RecoveryAlphabet, 10).Insert(5, "-"))
            .ToList();
        await users.SetAuthenticationTokenAsync(user, TokenProvider, RecoveryName, string.Join(';', codes.Select(HashRecoveryCode)));
        return codes;
    }

    // Note: recovery codes carry 50 random bits, so a fast hash suffices; a stolen database does not reveal them.
    private static string HashRecoveryCode(string code) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(Totp.Normalize(code).ToUpperInvariant())));

    private string Seal(byte[] secret) => Convert.ToBase64String(masterKeys.GetKey().Seal(secret, SealPurpose));

    private byte[]? Unseal(string stored)
    {
        try
        {
            return masterKeys.GetKey().TryUnseal(Convert.FromBase64String(stored), SealPurpose, out var secret) ? secret : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private ValueTask WriteAsync(AsnUser user, string action, string outcome, string? sourceIp, string reason) =>
        events.WriteAsync(new SecurityEvent(time.GetUtcNow(), action, outcome, UserName: user.Nip, SourceIp: sourceIp, Opd: user.OpdCode, Reason: reason));
}

/// <summary>A TOTP secret being enrolled: the base32 text for manual entry and the otpauth URI for the QR code.</summary>
public sealed record TotpEnrolment(string Secret, string Uri);

/// <summary>The outcome of checking a second-factor code.</summary>
public enum MfaCheck
{
    /// <summary>A valid, fresh TOTP code.</summary>
    Totp,

    /// <summary>An unused recovery code (now used up).</summary>
    RecoveryCode,

    /// <summary>Wrong code.</summary>
    Invalid,

    /// <summary>A TOTP code that was already accepted once.</summary>
    Replayed,

    /// <summary>The account is locked out.</summary>
    LockedOut,
}
