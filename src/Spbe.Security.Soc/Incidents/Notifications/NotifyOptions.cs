using System.ComponentModel.DataAnnotations;

namespace Spbe.Security.Soc.Incidents.Notifications;

/// <summary>Where new high-severity incidents and SLA breaches are announced (<c>Soc:Notify</c>). Nothing is sent until a
/// webhook or a mail server is configured.</summary>
public sealed class NotifyOptions
{
    /// <summary>New incidents at or above this severity are announced (SLA breaches are, whatever the severity).</summary>
    /// <value>The default value is <see cref="IncidentSeverity.Tinggi"/>.</value>
    public IncidentSeverity MinSeverity { get; set; } = IncidentSeverity.Tinggi;

    /// <summary>The console's address, for links in messages (e.g. <c>https://sso.kota.go.id</c>).</summary>
    public string? ConsoleUrl { get; set; }

    /// <summary>The webhook's address: HTTPS, or HTTP to a loopback address only.</summary>
    public string? WebhookUrl { get; set; }

    /// <summary>The HMAC-SHA256 key the receiver checks signatures with (at least 32 characters). A secret: never logged.</summary>
    public string? WebhookSecret { get; set; }

    /// <summary>The mail server; no email is sent without one.</summary>
    public string? SmtpHost { get; set; }

    /// <summary>The mail server's port.</summary>
    /// <value>The default value is 587.</value>
    [Range(1, 65535)]
    public int SmtpPort { get; set; } = 587;

    /// <summary>How the connection to the mail server is protected.</summary>
    /// <value>The default value is <see cref="SmtpSecurity.StartTls"/>.</value>
    public SmtpSecurity SmtpSecurity { get; set; } = SmtpSecurity.StartTls;

    /// <summary>The mail account, if the server wants a login.</summary>
    public string? SmtpUser { get; set; }

    /// <summary>The mail account's password. A secret: never logged.</summary>
    public string? SmtpPassword { get; set; }

    /// <summary>The sender address.</summary>
    public string? MailFrom { get; set; }

    /// <summary>The recipients (the CSIRT's mailbox, the duty officer), comma-separated.</summary>
    public string? MailTo { get; set; }
}

/// <summary>How the connection to the mail server is protected.</summary>
public enum SmtpSecurity
{
    /// <summary>Plain SMTP, then STARTTLS (required).</summary>
    StartTls,

    /// <summary>TLS from the first byte (SMTPS, usually port 465).</summary>
    Tls,

    /// <summary>No protection: for a relay on the same machine only.</summary>
    None,
}
