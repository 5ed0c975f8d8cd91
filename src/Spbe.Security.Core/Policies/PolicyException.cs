namespace Spbe.Security.Policies;

/// <summary>Thrown at start-up when policy files are invalid; carries every problem found, not only the first.</summary>
public sealed class PolicyException : Exception
{
    /// <summary>Creates the exception from a non-empty list of errors.</summary>
    public PolicyException(IReadOnlyList<PolicyError> errors)
        : base(Describe(errors))
    {
        Errors = errors;
    }

    /// <summary>All problems found, in file order.</summary>
    public IReadOnlyList<PolicyError> Errors { get; }

    private static string Describe(IReadOnlyList<PolicyError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (errors.Count == 0)
        {
            throw new ArgumentException("A policy exception needs at least one error.", nameof(errors));
        }

        return errors.Count == 1
            ? $"invalid policy: {errors[0]}"
            : $"invalid policy: {errors[0]} (and {errors.Count - 1} more)";
    }
}
