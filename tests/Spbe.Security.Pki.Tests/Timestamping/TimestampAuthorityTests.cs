using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Spbe.Security.Testing;

namespace Spbe.Security.Pki.Timestamping;

/// <summary>The RFC 3161 authority, fed queries made by <c>openssl ts</c> and judged by it.</summary>
[Trait("Category", "Database")]
public sealed class TimestampAuthorityTests : IAsyncLifetime
{
    private PkiTestCa _ca = null!;

    public async Task InitializeAsync() => _ca = await PkiTestCa.CreateAsync();

    public async Task DisposeAsync() => await _ca.DisposeAsync();

    private TimestampAuthority Tsa => _ca.Host.Services.GetRequiredService<TimestampAuthority>();

    private async Task<(string Query, string Data)> QueryAsync(string name, string digest)
    {
        var data = Path.Combine(_ca.Work, name + ".txt");
        await File.WriteAllTextAsync(data, "Naskah dinas nomor 800/" + name);
        var query = Path.Combine(_ca.Work, name + ".tsq");
        var made = await ExternalTool.OpenSslAsync(_ca.Work, "ts", "-query", "-data", data, "-" + digest, "-cert", "-out", query);
        Assert.True(made.ExitCode == 0, made.ToString());
        return (query, data);
    }

    [Theory]
    [InlineData("sha256")]
    [InlineData("sha384")]
    [InlineData("sha512")]
    public async Task Openssl_verifies_our_timestamps(string digest)
    {
        var (query, data) = await QueryAsync(digest, digest);

        var answer = Tsa.Respond(File.ReadAllBytes(query));

        Assert.Null(answer.ErrorCode);
        var reply = Path.Combine(_ca.Work, digest + ".tsr");
        await File.WriteAllBytesAsync(reply, answer.Body);
        var verify = await ExternalTool.OpenSslAsync(_ca.Work, "ts", "-verify", "-data", data, "-in", reply,
            "-CAfile", Path.Combine(_ca.PkiFolder, "root.crt"), "-untrusted", Path.Combine(_ca.PkiFolder, "issuing.crt"));
        Assert.True(verify.ExitCode == 0 && verify.Output.Contains("Verification: OK", StringComparison.Ordinal), verify.ToString());
        var text = await ExternalTool.OpenSslAsync(_ca.Work, "ts", "-reply", "-in", reply, "-text");
        Assert.Contains("Policy OID: " + PkiDefaults.TsaPolicyOid, text.Output, StringComparison.Ordinal);
        Assert.Contains("Accuracy: 0x01 seconds", text.Output, StringComparison.Ordinal);
        Assert.Contains("Nonce: 0x", text.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serial_numbers_only_grow()
    {
        var (query, _) = await QueryAsync("serials", "sha256");
        var bytes = File.ReadAllBytes(query);

        var serials = Enumerable.Range(0, 50).Select(_ => System.Numerics.BigInteger.Parse("0" + Tsa.Respond(bytes).Serial!, NumberStyles.HexNumber, CultureInfo.InvariantCulture)).ToList();

        Assert.Equal(serials.Order(), serials);
        Assert.Equal(serials.Count, serials.Distinct().Count());
    }

    [Fact]
    public async Task Sha1_and_garbage_are_refused_with_a_rejection_openssl_can_read()
    {
        var (sha1, _) = await QueryAsync("sha1", "sha1");

        var weak = Tsa.Respond(File.ReadAllBytes(sha1));
        var garbage = Tsa.Respond([0x30, 0x80, 0x01]);
        var empty = Tsa.Respond([]);

        Assert.Equal(PkiErrors.TsaAlgorithmRejected, weak.ErrorCode);
        Assert.Equal(PkiErrors.TsaMalformed, garbage.ErrorCode);
        Assert.Equal(PkiErrors.TsaMalformed, empty.ErrorCode);
        var reply = Path.Combine(_ca.Work, "weak.tsr");
        await File.WriteAllBytesAsync(reply, weak.Body);
        var text = await ExternalTool.OpenSslAsync(_ca.Work, "ts", "-reply", "-in", reply, "-text");
        Assert.Contains("Rejected", text.Output, StringComparison.Ordinal);
        Assert.Contains("unrecognized or unsupported algorithm", text.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_request_with_extensions_is_refused_instead_of_signing_them()
    {
        var generator = new Org.BouncyCastle.Tsp.TimeStampRequestGenerator();
        generator.AddExtension(new Org.BouncyCastle.Asn1.DerObjectIdentifier("1.2.3.4.5"), true, new Org.BouncyCastle.Asn1.DerUtf8String("tanda tangani ini"));
        var request = generator.Generate(Org.BouncyCastle.Tsp.TspAlgorithms.Sha256, new byte[32], Org.BouncyCastle.Math.BigInteger.One);

        var answer = Tsa.Respond(request.GetEncoded());

        var response = new Org.BouncyCastle.Tsp.TimeStampResponse(answer.Body);
        Assert.Equal((int)Org.BouncyCastle.Asn1.Cmp.PkiStatus.Rejection, response.Status);
        Assert.Null(response.TimeStampToken);
        Assert.NotNull(answer.ErrorCode);
    }
}
