namespace Spbe.Security.Soc.Ingest;

/// <summary>Who sent an event: a named source of an OPD, or an unknown sender.</summary>
/// <param name="Name">The source's name in <c>sources.yaml</c> (<c>observer.name</c>); <c>unknown</c> for unknown senders.</param>
/// <param name="Opd">The OPD code (<c>organization.id</c>), or <see langword="null"/> when unknown.</param>
public sealed record SourceIdentity(string Name, string? Opd)
{
    /// <summary>Any sender that matches no entry.</summary>
    public static SourceIdentity Unknown { get; } = new("unknown", null);
}
