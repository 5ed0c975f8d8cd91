namespace Spbe.Security.Identity.Persistence;

/// <summary>An OPD as stored: the policy file's content plus what the database must remember after the file changes.</summary>
internal sealed class OpdRecord
{
    public required string Code { get; set; }

    public required string Name { get; set; }

    public required string Kind { get; set; }

    public bool Active { get; set; }

    /// <summary>False once the OPD disappears from the policy file. The row stays: accounts and certificates refer to it.</summary>
    public bool InPolicy { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}
