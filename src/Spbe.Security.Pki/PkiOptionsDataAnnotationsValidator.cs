using Microsoft.Extensions.Options;

namespace Spbe.Security.Pki;

/// <summary>Field-level rules of <see cref="PkiOptions"/>, generated from its data annotations.</summary>
[OptionsValidator]
public sealed partial class PkiOptionsDataAnnotationsValidator : IValidateOptions<PkiOptions>
{
}
