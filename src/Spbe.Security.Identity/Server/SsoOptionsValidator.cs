using Microsoft.Extensions.Options;

namespace Spbe.Security.Identity.Server;

/// <summary>Field-level rules of <see cref="SsoOptions"/>, generated from its data annotations.</summary>
[OptionsValidator]
public sealed partial class SsoOptionsValidator : IValidateOptions<SsoOptions>
{
}
