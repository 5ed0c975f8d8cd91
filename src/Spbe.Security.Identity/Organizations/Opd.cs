namespace Spbe.Security.Identity.Organizations;

/// <summary>A regional government agency (Organisasi Perangkat Daerah) as declared in <c>policies/identity/opd.yaml</c>.</summary>
/// <param name="Code">The stable short code carried in tokens (<c>opd</c> claim), certificates and SOC events.</param>
/// <param name="Name">The official name in Bahasa Indonesia.</param>
/// <param name="Kind">The kind of agency.</param>
/// <param name="Active">Whether new accounts may be placed in it.</param>
public sealed record Opd(string Code, string Name, OpdKind Kind, bool Active);
