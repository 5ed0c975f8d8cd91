using System.Threading.Channels;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using Spbe.Security.Identity.Accounts;
using Spbe.Security.Identity.Clients;
using Spbe.Security.Identity.Events;

namespace Spbe.Security.Identity;

/// <summary>
/// OpenID Back-Channel Logout 1.0: when a user signs out (or is disabled), every client they signed in to that
/// registered a <c>backchannel_logout_uri</c> receives a signed logout token by POST. Deliveries run in the
/// background, are retried with back-off, and each outcome is recorded as a security event.
/// </summary>
public sealed partial class BackchannelLogout(
    IServiceScopeFactory scopes,
    IOptionsMonitor<OpenIddictServerOptions> server,
    IHttpClientFactory http,
    ISecurityEventSink events,
    TimeProvider time,
    ILogger<BackchannelLogout> logger) : BackgroundService
{
    /// <summary>The name of the HTTP client used for deliveries.</summary>
    public const string HttpClientName = "spbe-backchannel-logout";

    /// <summary>The event member of a logout token.</summary>
    public const string EventType = "http://schemas.openid.net/event/backchannel-logout";

    private static readonly TimeSpan[] RetryDelays = [TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(15)];
    private readonly Channel<Delivery> _queue = Channel.CreateBounded<Delivery>(new BoundedChannelOptions(10_000) { FullMode = BoundedChannelFullMode.DropOldest });

    /// <summary>Queues logout tokens for every client with a back-channel URI that <paramref name="user"/> has authorized.</summary>
    /// <param name="user">The account that signed out.</param>
    /// <param name="issuer">The issuer to put in the tokens (the configured one, else the request's).</param>
    /// <param name="cancellationToken">Cancels the lookup (not the deliveries).</param>
    public async Task<int> NotifyAsync(AsnUser user, Uri issuer, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        await using var scope = scopes.CreateAsyncScope();
        var authorizations = scope.ServiceProvider.GetRequiredService<IOpenIddictAuthorizationManager>();
        var applications = scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>();
        var applicationIds = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var authorization in authorizations.FindBySubjectAsync(user.Id.ToString(), cancellationToken))
        {
            if (await authorizations.GetApplicationIdAsync(authorization, cancellationToken) is { } id)
            {
                applicationIds.Add(id);
            }
        }

        var queued = 0;
        foreach (var id in applicationIds)
        {
            if (await applications.FindByIdAsync(id, cancellationToken) is not { } application)
            {
                continue;
            }

            var descriptor = new OpenIddictApplicationDescriptor();
            await applications.PopulateAsync(descriptor, application, cancellationToken);
            if (ClientService.BackchannelLogoutUriOf(descriptor) is { } uri && descriptor.ClientId is { } clientId)
            {
                var token = CreateLogoutToken(server.CurrentValue.Issuer ?? issuer, clientId, user.Id.ToString());
                queued += _queue.Writer.TryWrite(new Delivery(clientId, uri, token, user.Nip, user.OpdCode)) ? 1 : 0;
            }
        }

        return queued;
    }

    /// <summary>A logout token (typ <c>logout+jwt</c>) for <paramref name="clientId"/> about <paramref name="subject"/>.</summary>
    internal string CreateLogoutToken(Uri issuer, string clientId, string subject)
    {
        var now = time.GetUtcNow().UtcDateTime;
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer.AbsoluteUri,
            Audience = clientId,
            IssuedAt = now,
            Expires = now.AddMinutes(2),
            TokenType = "logout+jwt",
            SigningCredentials = server.CurrentValue.SigningCredentials[0],
            Claims = new Dictionary<string, object>
            {
                [OpenIddictConstants.Claims.Subject] = subject,
                [OpenIddictConstants.Claims.JwtId] = Guid.NewGuid().ToString("N"),
                ["events"] = new Dictionary<string, object> { [EventType] = new Dictionary<string, object>() },
            },
        });
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var delivery in _queue.Reader.ReadAllAsync(stoppingToken))
        {
            _ = DeliverAsync(delivery, stoppingToken);
        }
    }

    private async Task DeliverAsync(Delivery delivery, CancellationToken stoppingToken)
    {
        string? failure = null;
        for (var attempt = 0; attempt <= RetryDelays.Length; attempt++)
        {
            try
            {
                using var client = http.CreateClient(HttpClientName);
                using var content = new FormUrlEncodedContent([new KeyValuePair<string, string>("logout_token", delivery.Token)]);
                using var response = await client.PostAsync(delivery.Uri, content, stoppingToken);
                if (response.IsSuccessStatusCode)
                {
                    await events.WriteAsync(new SecurityEvent(time.GetUtcNow(), SecurityEventActions.BackchannelLogout, "success",
                        UserName: delivery.Nip, ClientId: delivery.ClientId, Opd: delivery.Opd, Reason: $"attempt {attempt + 1}"), stoppingToken);
                    return;
                }

                failure = $"HTTP {(int)response.StatusCode}";
            }
            catch (HttpRequestException ex)
            {
                failure = ex.HttpRequestError.ToString();
            }
            catch (TaskCanceledException) when (!stoppingToken.IsCancellationRequested)
            {
                failure = "timeout";
            }
            catch (OperationCanceledException)
            {
                return;
            }

            if (attempt < RetryDelays.Length)
            {
                await Task.Delay(RetryDelays[attempt], time, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }

        LogGaveUp(logger, delivery.ClientId, failure ?? "?");
        await events.WriteAsync(new SecurityEvent(time.GetUtcNow(), SecurityEventActions.BackchannelLogout, "failure",
            UserName: delivery.Nip, ClientId: delivery.ClientId, Opd: delivery.Opd, Reason: $"gave up after {RetryDelays.Length + 1} attempts: {failure}"), CancellationToken.None);
    }

    [LoggerMessage(EventId = 1120, Level = LogLevel.Warning, Message = "Back-channel logout to client {ClientId} failed after every retry: {Failure}")]
    private static partial void LogGaveUp(ILogger logger, string clientId, string failure);

    private sealed record Delivery(string ClientId, Uri Uri, string Token, string Nip, string Opd);
}
