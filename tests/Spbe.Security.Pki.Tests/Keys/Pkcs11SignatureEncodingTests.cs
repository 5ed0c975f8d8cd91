using System.Formats.Asn1;
using System.Numerics;
using System.Security.Cryptography;
using FsCheck;
using FsCheck.Xunit;

namespace Spbe.Security.Pki.Keys;

/// <summary>A token's ECDSA signature (r || s, each padded to the curve size) re-encoded as the DER X.509 and CMS carry.</summary>
public sealed class Pkcs11SignatureEncodingTests
{
    [Property(MaxTest = 300)]
    public void Any_r_and_s_survive_as_minimal_positive_der_integers(byte[] r, byte[] s, PositiveInt zeros)
    {
        // Pad both halves to one width and force leading zero bytes onto r, as a token does for a short value.
        var width = Math.Max(1, Math.Max(r.Length, s.Length) + (zeros.Get % 4));
        var raw = new byte[width * 2];
        r.CopyTo(raw.AsSpan(width - r.Length));
        s.CopyTo(raw.AsSpan(width * 2 - s.Length));

        var der = Pkcs11KeyStore.ToDer(raw);

        var reader = new AsnReader(der, AsnEncodingRules.DER);
        var sequence = reader.ReadSequence();
        Assert.Equal(new BigInteger(raw.AsSpan(0, width), isUnsigned: true, isBigEndian: true), sequence.ReadInteger());
        Assert.Equal(new BigInteger(raw.AsSpan(width), isUnsigned: true, isBigEndian: true), sequence.ReadInteger());
        Assert.False(sequence.HasData);
        Assert.False(reader.HasData);
    }

    [Theory]
    [InlineData(256)]
    [InlineData(384)]
    public void Signatures_whose_r_or_s_start_with_a_zero_byte_verify_after_reencoding(int bits)
    {
        using var key = ECDsa.Create(bits == 256 ? ECCurve.NamedCurves.nistP256 : ECCurve.NamedCurves.nistP384);
        var data = "naskah dinas"u8.ToArray();
        var width = bits / 8;

        // About one signature in 256 has r or s padded with a zero byte DER must drop; 20000 tries miss one with odds below 1e-30.
        for (var attempt = 0; attempt < 20000; attempt++)
        {
            var raw = key.SignData(data, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
            if (!Padded(raw, 0) && !Padded(raw, width))
            {
                continue;
            }

            var der = Pkcs11KeyStore.ToDer(raw);

            Assert.True(key.VerifyData(data, der, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence));
            Assert.True(der.Length < 2 * width + 8, "the padding zeros are gone");
            return;
        }

        Assert.Fail("no signature with a leading zero byte in 20000 tries");
    }

    private static bool Padded(byte[] raw, int start) => raw[start] == 0 && raw[start + 1] < 0x80;
}
