namespace Spbe.Security.Identity.Events;

/// <summary>
/// One security-relevant event of the provider, with ECS-style field names when serialised
/// (<c>event.action</c>, <c>event.outcome</c>, <c>user.name</c>, <c>source.ip</c>, <c>client.id</c>, <c>organization.id</c>).
/// </summary>
/// <param name="Timestamp">When it happened.</param>
/// <param name="Action">What happened, from <see cref="SecurityEventActions"/>.</param>
/// <param name="Outcome"><c>success</c> or <c>failure</c>.</param>
/// <param name="UserName">The NIP concerned (as typed, for failures), if any.</param>
/// <param name="SourceIp">The caller's address, if known.</param>
/// <param name="ClientId">The OAuth client concerned, if any.</param>
/// <param name="Opd">The OPD of the account concerned, if known.</param>
/// <param name="Reason">A short reason or error code (never a secret).</param>
/// <param name="Actor">Who made an administrative change (NIP, client id or <c>cli</c>), written as <c>source.user.name</c>.</param>
public sealed record SecurityEvent(
    DateTimeOffset Timestamp,
    string Action,
    string Outcome,
    string? UserName = null,
    string? SourceIp = null,
    string? ClientId = null,
    string? Opd = null,
    string? Reason = null,
    string? Actor = null);
