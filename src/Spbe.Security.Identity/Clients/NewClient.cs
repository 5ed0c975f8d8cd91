namespace Spbe.Security.Identity.Clients;

/// <summary>A relying party to register.</summary>
/// <param name="ClientId">The client_id.</param>
/// <param name="DisplayName">A name people recognise, shown on consent and in the admin list.</param>
/// <param name="Grants">Grant types: <c>authorization_code</c>, <c>refresh_token</c>, <c>client_credentials</c>, device code and token exchange (their URNs).</param>
/// <param name="RedirectUris">Exact redirect URIs (no wildcards, no prefix matches).</param>
/// <param name="PostLogoutRedirectUris">Exact post-logout redirect URIs.</param>
/// <param name="Scopes">Scopes the client may request beyond <c>openid</c>.</param>
/// <param name="Public">A public client (no secret; a native or browser app). PKCE protects it.</param>
/// <param name="Secret">The secret of a confidential client; generated when <see langword="null"/>.</param>
/// <param name="ThirdParty">An application not run by the city (explicit consent: the user is asked before it gets data).</param>
/// <param name="BackchannelLogoutUri">Where logout tokens are POSTed when a user signs out (OpenID Back-Channel Logout 1.0).</param>
public sealed record NewClient(
    string ClientId,
    string? DisplayName,
    IReadOnlyList<string> Grants,
    IReadOnlyList<Uri> RedirectUris,
    IReadOnlyList<Uri> PostLogoutRedirectUris,
    IReadOnlyList<string> Scopes,
    bool Public,
    string? Secret,
    bool ThirdParty = false,
    Uri? BackchannelLogoutUri = null)
{
    /// <summary>Turns URIs as typed into <see cref="Uri"/>s; malformed ones stay (as relative URIs) so that
    /// validation refuses them with a reason instead of the parser throwing.</summary>
    public static Uri[] ParseUris(IEnumerable<string>? values) =>
        [.. (values ?? []).Select(v => Uri.TryCreate(v, UriKind.Absolute, out var uri) ? uri : new Uri(Uri.EscapeDataString(v), UriKind.Relative))];
}
