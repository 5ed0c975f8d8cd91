using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Spbe.Security.Testing;

namespace Spbe.Security.Soc;

public sealed class SocOptionsValidatorTests
{
    private static IHost Build(params KeyValuePair<string, string?>[] settings)
    {
        var builder = TestHosts.CreateBuilder("/nonexistent/data", settings: settings);
        builder.AddSpbeSoc();
        builder.AddSpbeSoc();
        return builder.Build();
    }

    [Fact]
    public void Defaults_are_the_documented_ports_on_loopback()
    {
        using var host = Build();

        var options = host.Services.GetRequiredService<IOptions<SocOptions>>().Value;

        Assert.Equal(("127.0.0.1", 5514, 5514, 6514, 2514), (options.BindAddress, options.SyslogUdpPort, options.SyslogTcpPort, options.SyslogTlsPort, options.RelpPort));
        Assert.Equal(2, host.Services.GetServices<IValidateOptions<SocOptions>>().Count());
    }

    [Fact]
    public void Invalid_options_are_reported_all_at_once()
    {
        using var host = Build(
            new("Soc:BindAddress", "localhost"),
            new("Soc:SyslogUdpPort", "70000"),
            new("Soc:RelpPort", "6514"),
            new("Soc:IngestQueueCapacity", "0"),
            new("Soc:Rulesets:0", "/nonexistent/wazuh"));

        var error = Assert.Throws<OptionsValidationException>(() => host.Services.GetRequiredService<IOptions<SocOptions>>().Value);

        Assert.Equal(
            [
                "SyslogUdpPort: The field SocOptions.SyslogUdpPort must be between 0 and 65535.",
                "IngestQueueCapacity: The field SocOptions.IngestQueueCapacity must be between 1 and 1000000.",
                "Soc:BindAddress 'localhost' is not an IP address.",
                "Soc:SyslogTlsPort and Soc:RelpPort both use TCP port 6514.",
                "SOC-0503 Soc:Rulesets: no directory '/nonexistent/wazuh'.",
            ],
            error.Failures);
    }

    [Fact]
    public void Udp_and_tcp_syslog_may_share_a_port_and_zero_means_any_port()
    {
        var result = new SocOptionsValidator().Validate(null, new SocOptions { SyslogTcpPort = 0, SyslogTlsPort = 0, RelpPort = 0 });

        Assert.True(result.Succeeded);
    }

    [Fact]
    public void Announcements_NeedHttpsOrLoopback_ALongSecret_MailAddresses_AndTlsToARemoteMailServer()
    {
        var notify = new Incidents.Notifications.NotifyOptions
        {
            WebhookUrl = "http://hooks.example/csirt", WebhookSecret = "pendek", SmtpHost = "mail.kota.example", SmtpSecurity = Incidents.Notifications.SmtpSecurity.None,
            MailFrom = "bukan alamat", MailTo = "piket@kota.example, @@", ConsoleUrl = "/relatif",
        };
        var failures = new SocOptionsValidator().Validate(null, new SocOptions { Notify = notify }).Failures!.ToList();
        Assert.Equal(6, failures.Count);
        Assert.Contains(failures, f => f.Contains("WebhookUrl", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("WebhookSecret", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("SmtpSecurity None", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("MailFrom", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("MailTo", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("ConsoleUrl", StringComparison.Ordinal));

        var good = new Incidents.Notifications.NotifyOptions
        {
            WebhookUrl = "http://127.0.0.1:9000/hook", WebhookSecret = new string('k', 32), SmtpHost = "localhost", SmtpSecurity = Incidents.Notifications.SmtpSecurity.None,
            MailFrom = "csirt@kota.example", MailTo = "piket@kota.example, kepala@kota.example",
        };
        Assert.True(new SocOptionsValidator().Validate(null, new SocOptions { Notify = good }).Succeeded);
    }
}
