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

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
