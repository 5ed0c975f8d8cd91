using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using FsCheck.Xunit;

namespace Spbe.Security.Pki.Authority;

public sealed class CertificateRequestParserTests
{
    private static byte[] Request(AsymmetricAlgorithm key, string subject = "CN=Budi Santoso")
    {
        var request = key switch
        {
            ECDsa ec => new CertificateRequest(subject, ec, HashAlgorithmName.SHA256),
            RSA rsa => new CertificateRequest(subject, rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
            _ => throw new ArgumentException("key"),
        };
        return request.CreateSigningRequest();
    }

    [Fact]
    public void Der_and_pem_requests_parse_with_their_key_type()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        var der = Request(key);
        var pem = Encoding.ASCII.GetBytes(PemEncoding.WriteString("CERTIFICATE REQUEST", der));

        var fromDer = CertificateRequestParser.Parse(der);
        var fromPem = CertificateRequestParser.Parse(pem);

        Assert.True(fromDer.Success, fromDer.Error);
        Assert.Equal("ecdsa-p384", fromDer.Value!.Algorithm.Name);
        Assert.Equal(fromDer.Value.SubjectPublicKeyInfo, fromPem.Value!.SubjectPublicKeyInfo);
    }

    [Fact]
    public void A_request_whose_signature_does_not_match_its_key_is_refused()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var der = Request(key);
        // Flip a bit in the last byte of the signature.
        der[^1] ^= 0x01;

        var result = CertificateRequestParser.Parse(der);

        Assert.Equal(PkiErrors.CsrSignatureInvalid, result.ErrorCode);
    }

    [Fact]
    public void Small_rsa_keys_and_other_curves_are_refused_by_type()
    {
        using var rsa = RSA.Create(2048);
        using var p521 = ECDsa.Create(ECCurve.NamedCurves.nistP521);

        Assert.Equal(PkiErrors.KeyNotAllowed, CertificateRequestParser.Parse(Request(rsa)).ErrorCode);
        Assert.Equal(PkiErrors.KeyNotAllowed, CertificateRequestParser.Parse(Request(p521)).ErrorCode);
    }

    [Fact]
    public void Malformed_empty_and_oversized_input_get_their_codes()
    {
        Assert.Equal(PkiErrors.CsrMalformed, CertificateRequestParser.Parse([]).ErrorCode);
        Assert.Equal(PkiErrors.CsrMalformed, CertificateRequestParser.Parse("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"u8).ErrorCode);
        Assert.Equal(PkiErrors.CsrMalformed, CertificateRequestParser.Parse([0x30, 0x82, 0x01, 0x00, 0x30]).ErrorCode);
        Assert.Equal(PkiErrors.TooLarge, CertificateRequestParser.Parse(new byte[CertificateRequestParser.MaxSize + 1]).ErrorCode);
    }

    [Property(MaxTest = 1_000)]
    public void Parse_ArbitraryBytes_NeverThrows(byte[] input)
    {
        var result = CertificateRequestParser.Parse(input ?? []);

        Assert.True(result.Success || result.ErrorCode is not null);
    }

    [Fact]
    public void Parse_EveryByteCorrupted_NeverThrows()
    {
        // Note: found by the property below: a damaged curve OID made .NET throw PlatformNotSupportedException.
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var der = Request(key);
        var outcomes = new HashSet<string?>();
        for (var position = 0; position < der.Length; position++)
        {
            foreach (var value in new byte[] { 0x00, 0x01, 0x05, 0x30, 0x7F, 0x80, 0x81, 0xFF })
            {
                var copy = (byte[])der.Clone();
                copy[position] = value;
                outcomes.Add(CertificateRequestParser.Parse(copy).ErrorCode);
            }
        }

        Assert.Subset(new HashSet<string?> { null, PkiErrors.CsrMalformed, PkiErrors.CsrSignatureInvalid, PkiErrors.KeyNotAllowed }, outcomes);
        Assert.Contains(PkiErrors.CsrSignatureInvalid, outcomes);
    }

    [Property(MaxTest = 300)]
    public void Parse_CorruptedRequest_NeverThrows(int position, byte value)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var der = Request(key);
        der[Math.Abs(position % der.Length)] = value;

        var result = CertificateRequestParser.Parse(der);

        Assert.True(result.Success || result.ErrorCode is PkiErrors.CsrMalformed or PkiErrors.CsrSignatureInvalid or PkiErrors.KeyNotAllowed);
    }
}
