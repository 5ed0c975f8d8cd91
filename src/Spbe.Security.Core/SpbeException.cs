namespace Spbe.Security;

/// <summary>
/// A failure an operator must act on (misconfiguration, a damaged data directory, an invalid policy file),
/// carrying a stable code that the runbooks cite.
/// </summary>
/// <remarks>
/// Thrown for conditions that stop the host or a CLI command; never for bad input from the network, which is
/// answered with a result value instead (CONVENTIONS.md C8).
/// </remarks>
public sealed class SpbeException : Exception
{
    /// <summary>Creates the exception with its stable code and a one-line, operator-facing message.</summary>
    public SpbeException(string code, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(code);
        Code = code;
    }

    /// <summary>The stable error code, e.g. <c>DATA-0003</c>.</summary>
    public string Code { get; }

    /// <summary>The code and message on one line, as the CLI and the host print it.</summary>
    public override string ToString() => $"{Code}: {Message}";
}
