namespace Spbe.Security.Identity.Clients;

/// <summary>A client declared in <c>policies/identity/clients/*.json</c>.</summary>
/// <param name="Registration">The registration (its <see cref="NewClient.Secret"/> is always null here).</param>
/// <param name="SecretVariable">For a confidential client: the environment variable that holds its secret.</param>
/// <param name="File">The file it came from, for reports.</param>
public sealed record PolicyClient(NewClient Registration, string? SecretVariable, string File);
