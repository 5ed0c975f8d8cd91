namespace Spbe.Security.Host.Hosting;

/// <summary>Source-generated log messages of the host. Event ids reuse the numbers of the stable codes.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Critical, Message = "{Code}: {Reason}")]
    public static partial void StartupFailed(this ILogger logger, string code, string reason);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Spbe.Security {Version} listening on {Addresses}; data in {DataDirectory}")]
    public static partial void Started(this ILogger logger, string version, string addresses, string dataDirectory);

    [LoggerMessage(EventId = 9, Level = LogLevel.Critical, Message = "{Code}: the host stopped unexpectedly")]
    public static partial void Crashed(this ILogger logger, Exception exception, string code);

    [LoggerMessage(EventId = 608, Level = LogLevel.Error, Message = "SOC-0608 the SLA check failed; it runs again in {Interval}")]
    public static partial void SlaCheckFailed(this ILogger logger, Exception exception, TimeSpan interval);
}
