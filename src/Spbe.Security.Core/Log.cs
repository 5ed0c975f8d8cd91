using Microsoft.Extensions.Logging;

namespace Spbe.Security;

/// <summary>Source-generated log messages of the shared kernel. Event ids reuse the numbers of the stable codes.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 10, Level = LogLevel.Warning,
        Message = "{Code}: running on the DEVELOPMENT master key generated at {Path}. It sits beside the data it protects: production MUST supply its own key (Spbe:MasterKeyFile or the Spbe__MasterKey environment variable).")]
    public static partial void DevelopmentMasterKey(this ILogger logger, string code, string path);

    [LoggerMessage(EventId = 11, Level = LogLevel.Information, Message = "Data directory {Path} ready ({Created} item(s) created) in {ElapsedMs} ms")]
    public static partial void DataDirectoryReady(this ILogger logger, string path, int created, long elapsedMs);
}
