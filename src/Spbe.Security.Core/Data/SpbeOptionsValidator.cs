using Microsoft.Extensions.Options;

namespace Spbe.Security.Data;

/// <summary>Field-level rules of <see cref="SpbeOptions"/>, generated from its data annotations.</summary>
[OptionsValidator]
public sealed partial class SpbeOptionsValidator : IValidateOptions<SpbeOptions>
{
}
