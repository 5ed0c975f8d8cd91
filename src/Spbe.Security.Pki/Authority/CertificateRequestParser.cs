using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Spbe.Security.Pki.Keys;

namespace Spbe.Security.Pki.Authority;

/// <summary>A PKCS#10 request that parsed and whose signature verified (proof of possession of the key).</summary>
/// <param name="SubjectPublicKeyInfo">The public key, DER.</param>
/// <param name="Algorithm">The key type, or <see langword="null"/> when it is none this CA knows.</param>
/// <param name="Subject">The subject the requester wrote (only compared, never copied into a certificate).</param>
public sealed record ParsedCertificateRequest(byte[] SubjectPublicKeyInfo, KeyAlgorithm Algorithm, X500DistinguishedName Subject);

/// <summary>Reads certificate signing requests from untrusted input: never throws on bad input.</summary>
public static class CertificateRequestParser
{
    /// <summary>The largest request accepted (an RSA-4096 request with a long subject is under 2 KiB).</summary>
    public const int MaxSize = 16 * 1024;

    /// <summary>Parses a DER or PEM request and verifies its signature.</summary>
    public static PkiResult<ParsedCertificateRequest> Parse(ReadOnlySpan<byte> input)
    {
        if (input.Length > MaxSize)
        {
            return PkiResult<ParsedCertificateRequest>.Fail(PkiErrors.TooLarge, $"a certificate request is at most {MaxSize} bytes");
        }

        if (input.IsEmpty)
        {
            return PkiResult<ParsedCertificateRequest>.Fail(PkiErrors.CsrMalformed, "the certificate request is empty");
        }

        byte[] der;
        if (input[0] == 0x30)
        {
            der = input.ToArray();
        }
        else if (!TryDecodePem(input, out der))
        {
            return PkiResult<ParsedCertificateRequest>.Fail(PkiErrors.CsrMalformed, "not a PKCS#10 request (neither DER nor PEM 'CERTIFICATE REQUEST')");
        }

        CertificateRequest unverified;
        try
        {
            unverified = CertificateRequest.LoadSigningRequest(der, HashAlgorithmName.SHA256, CertificateRequestLoadOptions.SkipSignatureValidation | CertificateRequestLoadOptions.UnsafeLoadCertificateExtensions);
        }
        catch (Exception ex) when (ex is CryptographicException or ArgumentException or FormatException or NotSupportedException or PlatformNotSupportedException)
        {
            return PkiResult<ParsedCertificateRequest>.Fail(PkiErrors.CsrMalformed, "not a well-formed PKCS#10 request");
        }

        KeyAlgorithm? algorithm;
        byte[] spki;
        try
        {
            algorithm = KeyAlgorithm.Of(unverified.PublicKey);
            spki = unverified.PublicKey.ExportSubjectPublicKeyInfo();
        }
        catch (Exception ex) when (ex is CryptographicException or PlatformNotSupportedException or NotSupportedException)
        {
            return PkiResult<ParsedCertificateRequest>.Fail(PkiErrors.KeyNotAllowed, "the request's public key is of no supported type");
        }

        if (algorithm is null)
        {
            return PkiResult<ParsedCertificateRequest>.Fail(PkiErrors.KeyNotAllowed,
                $"the request's key is not one of {string.Join(", ", KeyAlgorithm.All.Select(a => a.Name))}");
        }

        // Note: the key type is checked first, so a request with an unsupported key (whose signature .NET cannot
        // verify either) gets the more useful answer.
        try
        {
            _ = CertificateRequest.LoadSigningRequest(der, HashAlgorithmName.SHA256, CertificateRequestLoadOptions.UnsafeLoadCertificateExtensions);
        }
        catch (Exception ex) when (ex is CryptographicException or ArgumentException or FormatException or NotSupportedException or PlatformNotSupportedException)
        {
            return PkiResult<ParsedCertificateRequest>.Fail(PkiErrors.CsrSignatureInvalid, "the request's signature does not verify with its own public key");
        }

        return PkiResult<ParsedCertificateRequest>.Ok(new ParsedCertificateRequest(spki, algorithm, unverified.SubjectName));
    }

    private static bool TryDecodePem(ReadOnlySpan<byte> input, out byte[] der)
    {
        der = [];
        string text;
        try
        {
            text = new UTF8Encoding(false, true).GetString(input);
        }
        catch (DecoderFallbackException)
        {
            return false;
        }

        if (!PemEncoding.TryFind(text, out var fields))
        {
            return false;
        }

        var label = text[fields.Label];
        if (label is not ("CERTIFICATE REQUEST" or "NEW CERTIFICATE REQUEST"))
        {
            return false;
        }

        var buffer = new byte[fields.DecodedDataLength];
        if (!Convert.TryFromBase64Chars(text.AsSpan()[fields.Base64Data], buffer, out var written))
        {
            return false;
        }

        der = buffer[..written];
        return true;
    }
}
