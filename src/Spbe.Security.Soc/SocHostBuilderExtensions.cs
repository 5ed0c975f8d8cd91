using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Spbe.Security.Soc;

/// <summary>Registers the SOC capability.</summary>
public static class SocHostBuilderExtensions
{
    /// <summary>Adds the SOC capability's services and validates its options at start. Safe to call more than once.</summary>
    public static IHostApplicationBuilder AddSpbeSoc(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddSpbeCore();
        builder.Services.AddOptions<SocOptions>()
            .BindConfiguration(SocOptions.SectionName)
            .ValidateOnStart();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SocOptions>, SocOptionsDataAnnotationsValidator>());
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SocOptions>, SocOptionsValidator>());
        return builder;
    }
}
