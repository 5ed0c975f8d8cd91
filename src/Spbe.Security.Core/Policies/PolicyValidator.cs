namespace Spbe.Security.Policies;

/// <summary>Loads every registered <see cref="IPolicySource"/> and fails with all their problems at once.</summary>
public sealed class PolicyValidator
{
    private readonly IEnumerable<IPolicySource> _sources;

    /// <summary>Creates the validator over the registered sources.</summary>
    public PolicyValidator(IEnumerable<IPolicySource> sources)
    {
        _sources = sources;
    }

    /// <summary>Loads all sources.</summary>
    /// <returns>The names of the sources loaded.</returns>
    /// <exception cref="PolicyException">At least one file is invalid; the exception lists every problem.</exception>
    public IReadOnlyList<string> LoadAll()
    {
        var errors = new List<PolicyError>();
        var names = new List<string>();
        foreach (var source in _sources)
        {
            errors.AddRange(source.Load());
            names.Add(source.Name);
        }

        return errors.Count > 0 ? throw new PolicyException(errors) : names;
    }
}
