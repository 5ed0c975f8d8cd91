using System.Collections.Immutable;
using System.Text.Json;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Spbe.Security.Identity.Server;

/// <summary>
/// The OpenID Connect <c>claims</c> request parameter (Core 1.0 section 5.5): individual claims asked for in the
/// id_token or at userinfo. A claim is honoured only if the client may request the scope that normally carries it,
/// so the parameter never reveals more than the client's registration allows. Malformed JSON is ignored.
/// </summary>
public sealed record ClaimsRequest(ImmutableHashSet<string> IdToken, ImmutableHashSet<string> UserInfo)
{
    /// <summary>The private claim that carries the userinfo part through codes, refresh and access tokens.</summary>
    public const string UserInfoClaim = "spbe_ui";

    /// <summary>The private claim that carries the id_token part through codes and refresh tokens.</summary>
    public const string IdTokenClaim = "spbe_idt";

    /// <summary>No claims requested.</summary>
    public static ClaimsRequest None { get; } = new([], []);

    /// <summary>The scope that carries <paramref name="claim"/>, or <see langword="null"/> for claims we do not release this way.</summary>
    public static string? ScopeOf(string claim) => claim switch
    {
        Claims.Name or Claims.PreferredUsername or SsoClaims.Nip or SsoClaims.Jabatan => Scopes.Profile,
        Claims.Email => Scopes.Email,
        SsoClaims.Opd => SsoDefaults.OpdScope,
        Claims.Role => Scopes.Roles,
        _ => null,
    };

    /// <summary>Parses the parameter, keeping the claims whose scope <paramref name="mayRequest"/> allows.</summary>
    public static async Task<ClaimsRequest> ParseAsync(string? json, Func<string, ValueTask<bool>> mayRequest)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return None;
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return None;
            }

            return new(await NamesAsync(document.RootElement, "id_token", mayRequest), await NamesAsync(document.RootElement, "userinfo", mayRequest));
        }
        catch (JsonException)
        {
            return None;
        }
    }

    /// <summary>The request as carried in a token's private claims.</summary>
    public static ClaimsRequest FromPrincipal(System.Security.Claims.ClaimsPrincipal principal) => new(
        [.. principal.GetClaims(IdTokenClaim)],
        [.. principal.GetClaims(UserInfoClaim)]);

    private static async Task<ImmutableHashSet<string>> NamesAsync(JsonElement root, string member, Func<string, ValueTask<bool>> mayRequest)
    {
        var names = ImmutableHashSet.CreateBuilder<string>(StringComparer.Ordinal);
        if (root.TryGetProperty(member, out var section) && section.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in section.EnumerateObject())
            {
                if (ScopeOf(property.Name) is { } scope && await mayRequest(scope))
                {
                    names.Add(property.Name);
                }
            }
        }

        return names.ToImmutable();
    }
}
