using Spectre.Console;

namespace Spbe.Security.Cli;

/// <summary>Where a command writes: results to <see cref="Out"/>, errors and progress to <see cref="Error"/>.</summary>
internal sealed class CliOutput(TextWriter output, TextWriter error, bool interactive, TextReader? input = null)
{
    /// <summary>Standard input, for secrets (<c>--password-stdin</c>, <c>--secret-stdin</c>): never a command-line argument.</summary>
    public TextReader Input { get; } = input ?? TextReader.Null;

    /// <summary>Reads a secret from standard input: the whole input without its final line break.</summary>
    public async Task<string> ReadSecretAsync() => (await Input.ReadToEndAsync()).TrimEnd('\r', '\n');

    public TextWriter Out { get; } = output;

    public TextWriter Error { get; } = error;

    /// <summary>Writes one coded error line: <c>spbe: CODE: reason</c>.</summary>
    public void Fail(string code, string reason) => Error.WriteLine($"spbe: {code}: {reason}");

    /// <summary>Runs <paramref name="work"/> with a spinner on stderr when a person is watching; plainly otherwise.</summary>
    public async Task<T> WithStatusAsync<T>(string status, Func<Task<T>> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        if (!interactive)
        {
            return await work();
        }

        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Error) });
        return await console.Status().Spinner(Spinner.Known.Dots).StartAsync(status, _ => work());
    }
}
