using System.Text;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using Spbe.Security.Keys;

namespace Spbe.Security.Host.Hosting;

/// <summary>Seals ASP.NET Core data-protection keys (cookies, antiforgery) with the master key before they are
/// written to <c>data/keys/dataprotection</c>.</summary>
internal sealed class MasterKeyXmlEncryptor(MasterKeyProvider keys) : IXmlEncryptor
{
    public const string Purpose = "aspnet/data-protection-key";

    public EncryptedXmlInfo Encrypt(XElement plaintextElement)
    {
        ArgumentNullException.ThrowIfNull(plaintextElement);
        var plaintext = Encoding.UTF8.GetBytes(plaintextElement.ToString(SaveOptions.DisableFormatting));
        try
        {
            var sealedKey = keys.GetKey().Seal(plaintext, Purpose);
            return new EncryptedXmlInfo(new XElement("sealedKey", Convert.ToBase64String(sealedKey)), typeof(MasterKeyXmlDecryptor));
        }
        finally
        {
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(plaintext);
        }
    }
}
