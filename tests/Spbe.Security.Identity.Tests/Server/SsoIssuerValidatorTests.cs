using Microsoft.Extensions.Options;

namespace Spbe.Security.Identity.Server;

public sealed class SsoIssuerValidatorTests
{
    private static ValidateOptionsResult Validate(string? issuer) =>
        new SsoIssuerValidator().Validate(null, new SsoOptions { Issuer = issuer is null ? null : new Uri(issuer, UriKind.RelativeOrAbsolute) });

    [Theory]
    [InlineData(null)]
    [InlineData("https://sso.kota.go.id/")]
    [InlineData("https://kota.go.id/sso")]
    [InlineData("http://127.0.0.1:8080/")]
    [InlineData("http://localhost:5000/")]
    [InlineData("http://[::1]:8080/")]
    public void Accepts_https_and_loopback_http(string? issuer)
    {
        Assert.True(Validate(issuer).Succeeded);
    }

    [Theory]
    [InlineData("http://sso.kota.go.id/", "must use https")]
    [InlineData("http://10.0.0.5/", "must use https")]
    [InlineData("https://sso.kota.go.id/?tenant=a", "query or a fragment")]
    [InlineData("https://sso.kota.go.id/#x", "query or a fragment")]
    [InlineData("/sso", "absolute address")]
    public void Refuses_what_a_relying_party_could_not_match(string issuer, string message)
    {
        var result = Validate(issuer);

        Assert.True(result.Failed);
        Assert.Contains(message, result.FailureMessage, StringComparison.Ordinal);
    }
}
