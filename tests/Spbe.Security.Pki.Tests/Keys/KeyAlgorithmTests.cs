using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using FsCheck.Xunit;

namespace Spbe.Security.Pki.Keys;

public sealed class KeyAlgorithmTests
{
    public static TheoryData<string, string?> Keys => new()
    {
        { "ec:nistP256", "ecdsa-p256" },
        { "ec:nistP384", "ecdsa-p384" },
        { "ec:nistP521", null },
        { "rsa:2048", null },
        { "rsa:3072", "rsa-3072" },
        { "rsa:4096", "rsa-4096" },
    };

    [Theory]
    [MemberData(nameof(Keys))]
    public void Reading_the_structure_agrees_with_importing_the_key(string kind, string? expected)
    {
        using AsymmetricAlgorithm key = kind.StartsWith("ec", StringComparison.Ordinal)
            ? ECDsa.Create(kind switch { "ec:nistP256" => ECCurve.NamedCurves.nistP256, "ec:nistP384" => ECCurve.NamedCurves.nistP384, _ => ECCurve.NamedCurves.nistP521 })
            : RSA.Create(int.Parse(kind[4..], System.Globalization.CultureInfo.InvariantCulture));
        var spki = key.ExportSubjectPublicKeyInfo();

        var fromStructure = KeyAlgorithm.Of(spki.AsSpan());
        var fromImport = KeyAlgorithm.Of(PublicKey.CreateFromSubjectPublicKeyInfo(spki, out _));

        Assert.Equal(expected, fromStructure?.Name);
        Assert.Equal(fromImport, fromStructure);
    }

    [Property(MaxTest = 1_000)]
    public void Of_ArbitraryBytes_NeverThrows(byte[] input)
    {
        var result = KeyAlgorithm.Of((input ?? []).AsSpan());

        Assert.True(result is null || KeyAlgorithm.All.Contains(result));
    }
}
