using System.Text;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using Spbe.Security.Data;
using Spbe.Security.Keys;

namespace Spbe.Security.Host.Hosting;

/// <summary>Opens what <see cref="MasterKeyXmlEncryptor"/> sealed. Activated by data protection with the service provider.</summary>
internal sealed class MasterKeyXmlDecryptor(IServiceProvider services) : IXmlDecryptor
{
    public XElement Decrypt(XElement encryptedElement)
    {
        ArgumentNullException.ThrowIfNull(encryptedElement);
        var keys = services.GetRequiredService<MasterKeyProvider>();
        if (!keys.GetKey().TryUnseal(Convert.FromBase64String(encryptedElement.Value), MasterKeyXmlEncryptor.Purpose, out var plaintext))
        {
            throw new SpbeException(DataErrors.SealedFileUnreadable, "a data-protection key does not open with the current master key");
        }

        return XElement.Parse(Encoding.UTF8.GetString(plaintext));
    }
}
