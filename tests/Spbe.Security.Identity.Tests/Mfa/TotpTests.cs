using System.Text;
using FsCheck.Xunit;
using Spbe.Security.Identity.Accounts;
using Spbe.Security.Identity.Server;

namespace Spbe.Security.Identity.Mfa;

public sealed class TotpTests
{
    private static readonly byte[] Rfc6238Secret = Encoding.ASCII.GetBytes("12345678901234567890");

    // RFC 6238 appendix B (SHA-1), last six digits of the eight-digit values.
    [Theory]
    [InlineData(59L, "287082")]
    [InlineData(1111111109L, "081804")]
    [InlineData(1111111111L, "050471")]
    [InlineData(1234567890L, "005924")]
    [InlineData(2000000000L, "279037")]
    [InlineData(20000000000L, "353130")]
    public void Codes_match_the_rfc_6238_test_vectors(long unixSeconds, string expected)
    {
        var at = DateTimeOffset.FromUnixTimeSeconds(unixSeconds);

        Assert.Equal(expected, Totp.Compute(Rfc6238Secret, Totp.StepOf(at)));
        Assert.Equal(Totp.StepOf(at), Totp.Match(Rfc6238Secret, expected[..3] + " " + expected[3..], at));
    }

    [Fact]
    public void A_code_from_one_step_either_side_matches_and_two_steps_away_does_not()
    {
        var at = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);
        var step = Totp.StepOf(at);

        Assert.Equal(step - 1, Totp.Match(Rfc6238Secret, Totp.Compute(Rfc6238Secret, step - 1), at));
        Assert.Equal(step + 1, Totp.Match(Rfc6238Secret, Totp.Compute(Rfc6238Secret, step + 1), at));
        Assert.Null(Totp.Match(Rfc6238Secret, Totp.Compute(Rfc6238Secret, step + 2), at));
        Assert.Null(Totp.Match(Rfc6238Secret, "12345", at));
        Assert.Null(Totp.Match(Rfc6238Secret, "abcdef", at));
    }

    [Property]
    public bool Any_input_either_fails_or_matches_a_step_within_the_window_whose_code_it_is(string? code, long seconds)
    {
        var at = DateTimeOffset.FromUnixTimeSeconds(Math.Abs(seconds % 100_000_000_000L));
        var step = Totp.Match(Rfc6238Secret, code ?? string.Empty, at);
        return step is null || (Math.Abs(step.Value - Totp.StepOf(at)) <= 1 && Totp.Compute(Rfc6238Secret, step.Value) == Totp.Normalize(code));
    }

    // RFC 4648 section 10, without padding.
    [Theory]
    [InlineData("", "")]
    [InlineData("f", "MY")]
    [InlineData("fo", "MZXQ")]
    [InlineData("foo", "MZXW6")]
    [InlineData("foob", "MZXW6YQ")]
    [InlineData("fooba", "MZXW6YTB")]
    [InlineData("foobar", "MZXW6YTBOI")]
    public void Base32_matches_the_rfc_4648_test_vectors(string text, string expected) =>
        Assert.Equal(expected, Base32.Encode(Encoding.ASCII.GetBytes(text)));

    [Fact]
    public void Lockouts_in_a_row_double_up_to_the_cap()
    {
        var first = TimeSpan.FromMinutes(5);

        Assert.Equal([5.0, 10, 20, 40, 80], Enumerable.Range(1, 5).Select(n => AccountPolicy.LockoutDuration(first, n).TotalMinutes));
        Assert.Equal(AccountPolicy.MaxLockout, AccountPolicy.LockoutDuration(first, 30));
        Assert.Equal(first, AccountPolicy.LockoutDuration(first, 0));
    }

    [Theory]
    [InlineData("urn:spbe:acr:mfa", true)]
    [InlineData("urn:spbe:acr:mfa urn:spbe:acr:pwd", false)]
    [InlineData("urn:spbe:acr:pwd", false)]
    [InlineData("urn:lain urn:spbe:acr:mfa", true)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void Only_acr_values_without_an_acceptable_password_class_require_mfa(string? acrValues, bool requiresMfa) =>
        Assert.Equal(requiresMfa, SsoAcr.RequiresMfa(acrValues));
}
