using Microsoft.Extensions.Options;

namespace Spbe.Security.Host.Hosting;

[OptionsValidator]
public sealed partial class HostingOptionsDataAnnotationsValidator : IValidateOptions<HostingOptions>
{
}
