using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MimeKit;
using Spbe.Security.Soc.Incidents.Persistence;

namespace Spbe.Security.Soc.Incidents.Notifications;

/// <summary>
/// Announces new incidents at or above <see cref="NotifyOptions.MinSeverity"/> and SLA breaches to the configured webhook
/// (JSON, signed with HMAC-SHA256) and mailbox (SMTP through MailKit). Announcements queue (bounded) and are sent on
/// their own task with retries, so a slow receiver never holds up incidents; one that still fails is logged
/// (<c>SOC-0606</c>) and the incident is unaffected.
/// </summary>
/// <remarks>
/// The receiver checks <c>X-Spbe-Signature: sha256=HEX</c>, the HMAC-SHA256 with the shared secret of
/// <c>{X-Spbe-Timestamp}.{body}</c>, and rejects timestamps older than a few minutes (replay) and repeated
/// <c>X-Spbe-Delivery</c> ids (retries of one announcement keep their id).
/// </remarks>
public sealed class IncidentNotifier : IHostedService, IDisposable
{
    /// <summary>Announcements waiting beyond this are dropped and logged (<c>SOC-0607</c>).</summary>
    public const int QueueCapacity = 1_000;

    /// <summary>The event type of a new incident.</summary>
    public const string IncidentCreated = "incident.created";

    /// <summary>The event type of an SLA breach.</summary>
    public const string SlaBreached = "incident.sla_breached";

    private static readonly TimeSpan[] RetryDelays = [TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(10)];

    private readonly IOptions<SocOptions> _socOptions;
    private readonly Lazy<IncidentService> _incidents;
    private readonly TimeProvider _time;
    private readonly ILogger<IncidentNotifier> _logger;
    private readonly Channel<IncidentNotification> _queue = Channel.CreateBounded<IncidentNotification>(
        new BoundedChannelOptions(QueueCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    private readonly HttpClient _http = new(new SocketsHttpHandler { AllowAutoRedirect = false, PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
    {
        Timeout = TimeSpan.FromSeconds(10),
    };

    private readonly CancellationTokenSource _stopping = new();
    private Task? _loop;

    /// <summary>Creates the notifier.</summary>
    /// <remarks>The incidents are looked up when the notifier starts (after the options were validated), not when it is built.</remarks>
    public IncidentNotifier(IOptions<SocOptions> options, Lazy<IncidentService> incidents, TimeProvider time, ILogger<IncidentNotifier> logger)
    {
        ArgumentNullException.ThrowIfNull(options);

        // Note: read when first used, not here: hosted services are built before the options are validated, and reading
        // them here would report only the SOC's problems instead of all of the configuration's.
        _socOptions = options;
        _incidents = incidents;
        _time = time;
        _logger = logger;
    }

    private NotifyOptions Settings => _socOptions.Value.Notify;

    /// <summary>Whether anything is configured to receive announcements.</summary>
    public bool Enabled => Settings.WebhookUrl is { Length: > 0 } || Settings.SmtpHost is { Length: > 0 };

    /// <summary>Announcements sent (to at least one receiver) since start.</summary>
    public long Sent => Interlocked.Read(ref _sent);

    private long _sent;

    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (Enabled)
        {
            _incidents.Value.Created += OnCreated;
            _loop = Task.Run(() => RunAsync(_stopping.Token), CancellationToken.None);
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_incidents.IsValueCreated)
        {
            _incidents.Value.Created -= OnCreated;
        }

        _queue.Writer.TryComplete();
        if (_loop is not null)
        {
            // Note: what is queued is sent while the host allows; then the rest is given up (and was logged as queued).
            await _loop.WaitAsync(cancellationToken).ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
            await _stopping.CancelAsync();
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _stopping.Dispose();
        _http.Dispose();
    }

    /// <summary>Queues announcements of SLA breaches.</summary>
    public void Post(IReadOnlyList<SlaBreach> breaches)
    {
        ArgumentNullException.ThrowIfNull(breaches);
        foreach (var b in breaches)
        {
            Post(new IncidentNotification(SlaBreached, b.IncidentId, b.Title, b.Opd, b.Severity, _time.GetUtcNow(), b.Describe()));
        }
    }

    private void OnCreated(IReadOnlyList<IncidentRecord> created)
    {
        foreach (var i in created.Where(i => i.Severity >= Settings.MinSeverity))
        {
            Post(new IncidentNotification(IncidentCreated, i.Id, i.Title, i.Opd, i.Severity, _time.GetUtcNow(),
                string.Create(CultureInfo.InvariantCulture, $"Insiden baru #{i.Id} ({i.Severity.Label()}, OPD {i.Opd ?? "-"}): {i.Title}")));
        }
    }

    private void Post(IncidentNotification notification)
    {
        if (!Enabled)
        {
            return;
        }

        if (!_queue.Writer.TryWrite(notification))
        {
            Log.NotificationDropped(_logger, notification.Type, notification.IncidentId, QueueCapacity);
        }
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        await foreach (var notification in _queue.Reader.ReadAllAsync(cancellationToken))
        {
            var delivered = false;
            if (Settings.WebhookUrl is { Length: > 0 })
            {
                delivered |= await WithRetriesAsync("webhook", notification, SendWebhookAsync, cancellationToken);
            }

            if (Settings.SmtpHost is { Length: > 0 })
            {
                delivered |= await WithRetriesAsync("email", notification, SendMailAsync, cancellationToken);
            }

            if (delivered)
            {
                Interlocked.Increment(ref _sent);
            }
        }
    }

    private async Task<bool> WithRetriesAsync(string channel, IncidentNotification notification, Func<IncidentNotification, CancellationToken, Task> send, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await send(notification, cancellationToken);
                return true;
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                // Note: any failure (a server without STARTTLS makes MailKit throw NotSupportedException) is retried and then
                // logged, never allowed to end the loop. Only the exception's type and message are logged: the webhook's
                // secret and the mail password are never in either.
                Log.NotificationFailed(_logger, channel, notification.Type, notification.IncidentId, attempt, RetryDelays.Length + 1, ex.GetType().Name, ex.Message);
                if (attempt > RetryDelays.Length)
                {
                    return false;
                }

                await Task.Delay(RetryDelays[attempt - 1], _time, cancellationToken);
            }
        }
    }

    /// <summary>The webhook's body: the event and the incident, no log content beyond the title.</summary>
    internal byte[] WebhookBody(IncidentNotification n) => JsonSerializer.SerializeToUtf8Bytes(new
    {
        type = n.Type,
        id = n.DeliveryId,
        time = n.At.ToString("O", CultureInfo.InvariantCulture),
        summary = n.Summary,
        incident = new { id = n.IncidentId, title = n.Title, opd = n.Opd, severity = n.Severity.Label(), url = LinkOf(n.IncidentId) },
    });

    /// <summary>The signature header's value for <paramref name="body"/> sent at <paramref name="timestamp"/>.</summary>
    public static string Sign(string secret, string timestamp, ReadOnlySpan<byte> body)
    {
        ArgumentNullException.ThrowIfNull(secret);
        ArgumentNullException.ThrowIfNull(timestamp);
        var prefix = Encoding.ASCII.GetBytes(timestamp + ".");
        var message = new byte[prefix.Length + body.Length];
        prefix.CopyTo(message, 0);
        body.CopyTo(message.AsSpan(prefix.Length));
        return "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), message));
    }

    private async Task SendWebhookAsync(IncidentNotification n, CancellationToken cancellationToken)
    {
        var body = WebhookBody(n);
        var timestamp = _time.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        using var request = new HttpRequestMessage(HttpMethod.Post, Settings.WebhookUrl) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        request.Headers.Add("X-Spbe-Event", n.Type);
        request.Headers.Add("X-Spbe-Delivery", n.DeliveryId);
        request.Headers.Add("X-Spbe-Timestamp", timestamp);
        request.Headers.Add("X-Spbe-Signature", Sign(Settings.WebhookSecret!, timestamp, body));
        using var response = await _http.SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException(string.Create(CultureInfo.InvariantCulture, $"the webhook answered {(int)response.StatusCode}"), null, response.StatusCode);
        }
    }

    private async Task SendMailAsync(IncidentNotification n, CancellationToken cancellationToken)
    {
        using var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(Settings.MailFrom!));
        foreach (var to in Settings.MailTo!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            message.To.Add(MailboxAddress.Parse(to));
        }

        var what = n.Type == IncidentCreated ? "Insiden baru" : "SLA terlampaui";
        message.Subject = OneLine(string.Create(CultureInfo.InvariantCulture, $"[CSIRT SPBE] {what} #{n.IncidentId} ({n.Severity.Label()}): {n.Title}"), 200);
        var link = LinkOf(n.IncidentId);
        var text = new StringBuilder();
        text.Append(n.Summary).Append("\n\n");
        text.Append(CultureInfo.InvariantCulture, $"Insiden : #{n.IncidentId}\n");
        text.Append("Judul   : ").Append(OneLine(n.Title, 200)).Append('\n');
        text.Append("OPD     : ").Append(n.Opd ?? "-").Append('\n');
        text.Append("Tingkat : ").Append(n.Severity.Label()).Append('\n');
        text.Append(CultureInfo.InvariantCulture, $"Waktu   : {n.At:yyyy-MM-dd HH:mm:ss} UTC\n");
        if (link is not null)
        {
            text.Append("Tautan  : ").Append(link).Append('\n');
        }

        text.Append("\nPesan ini dikirim otomatis oleh Spbe.Security. Isi log berasal dari sistem yang dipantau: jangan membuka tautan di dalamnya.\n");
        message.Body = new TextPart("plain") { Text = text.ToString() };
        using var smtp = new SmtpClient { Timeout = 10_000 };
        var security = Settings.SmtpSecurity switch
        {
            SmtpSecurity.Tls => SecureSocketOptions.SslOnConnect,
            SmtpSecurity.None => SecureSocketOptions.None,
            _ => SecureSocketOptions.StartTls,
        };
        await smtp.ConnectAsync(Settings.SmtpHost!, Settings.SmtpPort, security, cancellationToken);
        if (Settings.SmtpUser is { Length: > 0 } user)
        {
            await smtp.AuthenticateAsync(user, Settings.SmtpPassword ?? "", cancellationToken);
        }

        await smtp.SendAsync(message, cancellationToken);
        await smtp.DisconnectAsync(true, cancellationToken);
    }

    private string? LinkOf(long id) =>
        Settings.ConsoleUrl is { Length: > 0 } url ? string.Create(CultureInfo.InvariantCulture, $"{url.TrimEnd('/')}/soc/insiden/{id}") : null;

    /// <summary>Log-derived text on one line (no header injection in a subject), at most <paramref name="length"/> characters.</summary>
    private static string OneLine(string text, int length)
    {
        var clean = new string([.. text.Select(c => char.IsControl(c) ? ' ' : c)]);
        return clean.Length <= length ? clean : clean[..length];
    }
}

/// <summary>One announcement.</summary>
/// <param name="Type"><see cref="IncidentNotifier.IncidentCreated"/> or <see cref="IncidentNotifier.SlaBreached"/>.</param>
/// <param name="IncidentId">The incident.</param>
/// <param name="Title">Its title (from log content: attacker input).</param>
/// <param name="Opd">Its OPD.</param>
/// <param name="Severity">Its severity.</param>
/// <param name="At">When it was announced.</param>
/// <param name="Summary">One line in Indonesian.</param>
public sealed record IncidentNotification(string Type, long IncidentId, string Title, string? Opd, IncidentSeverity Severity, DateTimeOffset At, string Summary)
{
    /// <summary>The delivery's id (the same across retries), for the receiver to drop repeats.</summary>
    public string DeliveryId { get; } = Guid.NewGuid().ToString("N");
}
