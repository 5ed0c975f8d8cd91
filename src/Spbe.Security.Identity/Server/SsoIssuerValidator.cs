using System.Net;
using Microsoft.Extensions.Options;

namespace Spbe.Security.Identity.Server;

/// <summary>
/// Rules for <see cref="SsoOptions.Issuer"/>: relying parties compare <c>iss</c> byte for byte and build the discovery
/// address from it, so it must be an absolute <c>https</c> address (plain <c>http</c> only on a loopback host) with
/// no query or fragment (OpenID Connect Discovery 1.0, section 3).
/// </summary>
public sealed class SsoIssuerValidator : IValidateOptions<SsoOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, SsoOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Issuer is not { } issuer)
        {
            return ValidateOptionsResult.Success;
        }

        var failures = new List<string>();
        if (!issuer.IsAbsoluteUri)
        {
            failures.Add($"Sso:Issuer '{issuer}' must be an absolute address such as https://sso.kota.go.id/.");
            return ValidateOptionsResult.Fail(failures);
        }

        if (issuer.Scheme != Uri.UriSchemeHttps && !(issuer.Scheme == Uri.UriSchemeHttp && IsLoopback(issuer)))
        {
            failures.Add($"Sso:Issuer '{issuer}' must use https (http is accepted only for a loopback host).");
        }

        if (!string.IsNullOrEmpty(issuer.Query) || !string.IsNullOrEmpty(issuer.Fragment))
        {
            failures.Add($"Sso:Issuer '{issuer}' must not have a query or a fragment.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static bool IsLoopback(Uri uri) =>
        uri.IsLoopback || (IPAddress.TryParse(uri.DnsSafeHost, out var address) && IPAddress.IsLoopback(address));
}
