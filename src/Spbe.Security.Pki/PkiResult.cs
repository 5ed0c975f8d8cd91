namespace Spbe.Security.Pki;

/// <summary>The outcome of an operation on untrusted input: a value, or a stable error code with a reason.</summary>
/// <typeparam name="T">The value's type.</typeparam>
public readonly record struct PkiResult<T>(T? Value, string? ErrorCode, string? Error)
{
    /// <summary>Whether it succeeded.</summary>
    public bool Success => ErrorCode is null;

    /// <summary>A success.</summary>
    public static PkiResult<T> Ok(T value) => new(value, null, null);

    /// <summary>A failure with its code (from <see cref="PkiErrors"/>) and a one-line reason.</summary>
    public static PkiResult<T> Fail(string code, string reason) => new(default, code, reason);

    /// <summary>The same failure as another result type.</summary>
    public PkiResult<TOther> As<TOther>() => new(default, ErrorCode, Error);
}
