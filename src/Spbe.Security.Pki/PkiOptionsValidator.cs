using Microsoft.Extensions.Options;
using Spbe.Security.Pki.Keys;

namespace Spbe.Security.Pki;

/// <summary>Cross-field rules of <see cref="PkiOptions"/>; reports every broken rule, not only the first.</summary>
public sealed class PkiOptionsValidator : IValidateOptions<PkiOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, PkiOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (!Enum.IsDefined(options.KeyStore))
        {
            failures.Add($"Pki:KeyStore '{options.KeyStore}' is not a known key store (File or Pkcs11).");
        }

        if (options.KeyStore == KeyStoreKind.Pkcs11)
        {
            if (string.IsNullOrWhiteSpace(options.Pkcs11ModulePath))
            {
                failures.Add("Pki:Pkcs11ModulePath is required when Pki:KeyStore is Pkcs11.");
            }
            else if (!File.Exists(options.Pkcs11ModulePath))
            {
                failures.Add($"Pki:Pkcs11ModulePath '{options.Pkcs11ModulePath}' does not exist.");
            }

            if (string.IsNullOrWhiteSpace(options.Pkcs11TokenLabel))
            {
                failures.Add("Pki:Pkcs11TokenLabel is required when Pki:KeyStore is Pkcs11.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
