using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Spbe.Security.Pki;

/// <summary>Registers the PKI capability.</summary>
public static class PkiHostBuilderExtensions
{
    /// <summary>Adds the PKI capability's services and validates its options at start. Safe to call more than once.</summary>
    public static IHostApplicationBuilder AddSpbePki(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddSpbeCore();
        builder.Services.AddOptions<PkiOptions>()
            .BindConfiguration(PkiOptions.SectionName)
            .ValidateOnStart();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PkiOptions>, PkiOptionsDataAnnotationsValidator>());
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PkiOptions>, PkiOptionsValidator>());
        return builder;
    }
}
