namespace Spbe.Security.Soc.Decoding;

public sealed class PreDecoderTests
{
    [Theory]
    [InlineData("Dec 29 10:00:01 linux-agent sshd[29205]: Invalid user blimey from 18.18.18.18 port 48928", "Dec 29 10:00:01", "linux-agent", "sshd", "Invalid user blimey from 18.18.18.18 port 48928")]
    [InlineData("2015 Dec 29 10:00:01 wazuh-agent01 AUTH:INFO sshd[223468]: LOG BODY", "2015 Dec 29 10:00:01", "wazuh-agent01", "AUTH", "INFO sshd[223468]: LOG BODY")]
    [InlineData("Dec 19 17:20:08 User test_noalert[12345]:Test noalert=1", "Dec 19 17:20:08", "User", "test_noalert", "Test noalert=1")]
    [InlineData("Nov 11 22:46:29 localhost su(pam_unix)[23164]: authentication failure; logname=", "Nov 11 22:46:29", "localhost", "su(pam_unix)", "authentication failure; logname=")]
    [InlineData("Dec 29 10:00:01 sshd: msg", "Dec 29 10:00:01", null, "sshd", "msg")]
    [InlineData("Dec 29 10:00:01 fe80::1 sshd: x", "Dec 29 10:00:01", null, null, "fe80::1 sshd: x")]
    [InlineData("Jun 19 10:45:19 fw %ASA-4-106023: Deny tcp", "Jun 19 10:45:19", "fw", null, "%ASA-4-106023: Deny tcp")]
    [InlineData("Dec 29 10:00:01 host last message repeated 3 times", "Dec 29 10:00:01", "host", null, "last message repeated 3 times")]
    [InlineData("2020-03-24 08:38:42.344447-0700  localhost sshd[2519]: Failed password for user", "2020-03-24 08:38:42.344447-0700", "localhost", "sshd", "Failed password for user")]
    [InlineData("2007-06-14T15:48:55-04:00 host app: text here", "2007-06-14T15:48:55-04:00", "host", "app", "text here")]
    [InlineData("Jul  3 21:44:07 vmi189193 sshd[26279]: Failed password", "Jul  3 21:44:07", "vmi189193", "sshd", "Failed password")]
    [InlineData("Dec 29 10:00:01 host app[12] text", "Dec 29 10:00:01", "host", "app", "text")]
    [InlineData("Dec 29 10:00:01 host app: [ID 702911 auth.info] text", "Dec 29 10:00:01", "host", "app", "text")]
    public void Decode_SyslogLikeHeaders(string line, string timestamp, string? host, string? program, string log)
    {
        var decoded = PreDecoder.Decode(line);
        Assert.Equal((timestamp, host, program, log), (decoded.Timestamp, decoded.Hostname, decoded.ProgramName, decoded.Log));
        Assert.Equal(line, decoded.FullLog);
    }

    [Theory]
    [InlineData("[Fri Feb 11 18:06:35 2004] [warn] big errors", "Fri Feb 11 18:06:35 2004", "[warn] big errors")]
    [InlineData("1140804070.368  11623 192.168.1.201 TCP_MISS/200 1", "1140804070.368 ", "11623 192.168.1.201 TCP_MISS/200 1")]
    [InlineData("01/28-09:13:16.240702  [**] [1:1:1] test", "01/28-09:13:16.240702", "[**] [1:1:1] test")]
    public void Decode_OtherHeaders_NoHostOrProgram(string line, string timestamp, string log)
    {
        var decoded = PreDecoder.Decode(line);
        Assert.Equal((timestamp, (string?)null, (string?)null, log), (decoded.Timestamp, decoded.Hostname, decoded.ProgramName, decoded.Log));
    }

    [Theory]
    [InlineData("Mar  1 18:46:11: %SYS-5-CONFIG_I: Configured")]
    [InlineData("{\"a\":1}")]
    [InlineData("")]
    public void Decode_NoKnownHeader_TakesTheWholeLine(string line)
    {
        var decoded = PreDecoder.Decode(line);
        Assert.Equal((line, (string?)null, (string?)null), (decoded.Log, decoded.Hostname, decoded.ProgramName));
    }
}
