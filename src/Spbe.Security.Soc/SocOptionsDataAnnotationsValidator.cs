using Microsoft.Extensions.Options;

namespace Spbe.Security.Soc;

/// <summary>Field-level rules of <see cref="SocOptions"/>, generated from its data annotations.</summary>
[OptionsValidator]
public sealed partial class SocOptionsDataAnnotationsValidator : IValidateOptions<SocOptions>
{
}
