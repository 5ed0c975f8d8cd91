using System.Net;
using Microsoft.Extensions.Options;

namespace Spbe.Security.Soc;

/// <summary>Cross-field rules of <see cref="SocOptions"/>; reports every broken rule, not only the first.</summary>
public sealed class SocOptionsValidator : IValidateOptions<SocOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, SocOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (!IPAddress.TryParse(options.BindAddress, out _))
        {
            failures.Add($"Soc:BindAddress '{options.BindAddress}' is not an IP address.");
        }

        // Note: UDP and TCP syslog may share a number (different protocols); the TCP listeners may not.
        var tcpPorts = new (string Name, int Port)[]
        {
            ("Soc:SyslogTcpPort", options.SyslogTcpPort),
            ("Soc:SyslogTlsPort", options.SyslogTlsPort),
            ("Soc:RelpPort", options.RelpPort),
        };
        foreach (var clash in tcpPorts.Where(p => p.Port != 0).GroupBy(p => p.Port).Where(g => g.Count() > 1))
        {
            failures.Add($"{string.Join(" and ", clash.Select(p => p.Name))} both use TCP port {clash.Key}.");
        }

        try
        {
            TimeZoneInfo.FindSystemTimeZoneById(options.SourceTimeZone);
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            failures.Add($"Soc:SourceTimeZone '{options.SourceTimeZone}' is not a time zone this machine knows.");
        }

        foreach (var directory in options.Rulesets.Where(d => !Directory.Exists(d)))
        {
            failures.Add($"{SocErrors.RulesetNotFound} Soc:Rulesets: no directory '{directory}'.");
        }

        ValidateNotify(options.Notify, failures);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void ValidateNotify(Incidents.Notifications.NotifyOptions notify, List<string> failures)
    {
        if (notify.WebhookUrl is { Length: > 0 } url)
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || !(uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback)))
            {
                failures.Add("Soc:Notify:WebhookUrl must be an absolute https:// address (http:// only to a loopback address).");
            }

            if (notify.WebhookSecret is not { Length: >= 32 })
            {
                failures.Add("Soc:Notify:WebhookSecret must be set, at least 32 characters, when Soc:Notify:WebhookUrl is.");
            }
        }

        if (notify.SmtpHost is { Length: > 0 })
        {
            if (!MimeKit.MailboxAddress.TryParse(notify.MailFrom ?? "", out _))
            {
                failures.Add("Soc:Notify:MailFrom must be a mail address when Soc:Notify:SmtpHost is set.");
            }

            // Note: without TLS the login and every message cross the network in the clear: only to a relay on this machine.
            if (notify.SmtpSecurity == Incidents.Notifications.SmtpSecurity.None && !IsLoopback(notify.SmtpHost))
            {
                failures.Add("Soc:Notify:SmtpSecurity None is allowed only for a mail relay on this machine (localhost or a loopback address).");
            }

            var to = (notify.MailTo ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (to.Length == 0 || to.Any(a => !MimeKit.MailboxAddress.TryParse(a, out _)))
            {
                failures.Add("Soc:Notify:MailTo must be one or more mail addresses, comma-separated, when Soc:Notify:SmtpHost is set.");
            }
        }

        if (notify.ConsoleUrl is { Length: > 0 } console
            && (!Uri.TryCreate(console, UriKind.Absolute, out var consoleUri) || (consoleUri.Scheme != Uri.UriSchemeHttps && consoleUri.Scheme != Uri.UriSchemeHttp)))
        {
            failures.Add("Soc:Notify:ConsoleUrl must be an absolute http(s) address.");
        }
    }

    private static bool IsLoopback(string host) =>
        string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase) || (IPAddress.TryParse(host, out var address) && IPAddress.IsLoopback(address));
}
