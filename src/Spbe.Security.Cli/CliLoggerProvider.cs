using Microsoft.Extensions.Logging;

namespace Spbe.Security.Cli;

/// <summary>Writes warnings and errors from the capabilities to the command's stderr as <c>spbe: warning: …</c> lines,
/// keeping stdout for results.</summary>
internal sealed class CliLoggerProvider(TextWriter error) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new CliLogger(error);

    public void Dispose()
    {
    }

    private sealed class CliLogger(TextWriter error) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning && logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }

            var level = logLevel == LogLevel.Warning ? "warning" : "error";
            lock (error)
            {
                error.WriteLine($"spbe: {level}: {formatter(state, exception)}");
            }
        }
    }
}
