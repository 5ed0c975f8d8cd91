using Microsoft.Extensions.Options;
using Spbe.Security.Policies;

namespace Spbe.Security;

/// <summary>
/// Turns the failures an operator must act on into coded, one-line reasons, the same way for the host and the CLI.
/// </summary>
public static class OperatorFailure
{
    /// <summary>Describes <paramref name="exception"/> as (code, reason) lines.</summary>
    /// <param name="exception">What stopped the host or the command.</param>
    /// <param name="configurationCode">The code to report configuration (options) problems under.</param>
    /// <returns>The lines, or <see langword="null"/> for an exception that is a bug rather than an operator's problem.</returns>
    public static IReadOnlyList<(string Code, string Reason)>? Describe(Exception exception, string configurationCode)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception switch
        {
            SpbeException ex => [(ex.Code, ex.Message)],
            PolicyException ex => [.. ex.Errors.Select(e => (e.Code, $"{e.Location}: {e.Reason}"))],
            OptionsValidationException ex => [.. ex.Failures.Select(f => (configurationCode, f))],
            // Note: start-up validation of several option types aggregates their exceptions.
            AggregateException ex when ex.InnerExceptions.All(e => e is OptionsValidationException) =>
                [.. ex.InnerExceptions.SelectMany(e => Describe(e, configurationCode)!)],
            _ => null,
        };
    }
}
