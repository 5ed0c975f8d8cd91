using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using FsCheck;
using FsCheck.Xunit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Org.BouncyCastle.Ocsp;
using Org.BouncyCastle.X509;
using Spbe.Security.Pki.Revocation;

namespace Spbe.Security.Pki.Authority;

/// <summary>One CA shared by the properties below (creating one per case would measure key generation).</summary>
public sealed class SharedCa : IAsyncLifetime
{
    public PkiTestCa Ca { get; private set; } = null!;

    public IReadOnlyList<byte[]> Keys { get; private set; } = [];

    public HashSet<string> Serials { get; } = new(StringComparer.Ordinal);

    public async Task InitializeAsync()
    {
        Ca = await PkiTestCa.CreateAsync();
        using var p256 = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var p384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        using var rsa = RSA.Create(3072);
        Keys = [p256.ExportSubjectPublicKeyInfo(), p384.ExportSubjectPublicKeyInfo(), rsa.ExportSubjectPublicKeyInfo()];
    }

    public async Task DisposeAsync() => await Ca.DisposeAsync();
}

[Trait("Category", "Database")]
public sealed class CertificateAuthorityPropertyTests(SharedCa shared) : IClassFixture<SharedCa>
{
    private static readonly (string Profile, SubjectInfo Subject)[] Requests =
    [
        ("pejabat-signing", PkiTestCa.Official),
        ("opd-seal", new SubjectInfo("Dinas Komunikasi dan Informatika", OpdCode: "DISKOMINFO")),
        ("tls-server", new SubjectInfo("Dinas Komunikasi dan Informatika", OpdCode: "DISKOMINFO", DnsNames: ["layanan.kota.go.id"])),
    ];

    private static readonly RevocationReason[] Reasons = Enum.GetValues<RevocationReason>();

    [Property(MaxTest = 60)]
    public async Task Issue_AnyProfileAndKey_SerialAndValidity_Meet_Specification(NonNegativeInt request, NonNegativeInt key)
    {
        var (profile, subject) = Requests[request.Get % Requests.Length];

        var issued = await shared.Ca.Authority.IssueAsync(profile, subject, shared.Keys[key.Get % shared.Keys.Count], "property");

        Assert.True(issued.Success, issued.Error);
        using var certificate = X509CertificateLoader.LoadCertificate(issued.Value!.Der);
        using var issuer = X509CertificateLoader.LoadCertificateFromFile(Path.Combine(shared.Ca.PkiFolder, "issuing.crt"));
        var serial = certificate.SerialNumberBytes.Span;
        Assert.InRange(serial.Length, 1, 20);
        Assert.True(serial[0] < 0x80, "serial numbers are positive");
        Assert.True(shared.Serials.Add(issued.Value.Serial), $"serial {issued.Value.Serial} was issued twice");
        Assert.True(certificate.NotBefore < certificate.NotAfter);
        Assert.True(certificate.NotBefore >= issuer.NotBefore && certificate.NotAfter <= issuer.NotAfter, "validity nests inside the issuer's");
    }

    [Property(MaxTest = 25)]
    public async Task Revoke_AnyReason_ReachesTheNextCrlAndOcspAnswer(NonNegativeInt reasonIndex)
    {
        var reason = Reasons[reasonIndex.Get % Reasons.Length];
        var issued = (await shared.Ca.Authority.IssueAsync("pejabat-signing", PkiTestCa.Official, shared.Keys[0], "property")).Value!;

        var revoked = await shared.Ca.Authority.RevokeAsync(issued.Serial, reason, "property");

        Assert.True(revoked.Success, revoked.Error);
        var crl = new X509CrlParser().ReadCrl(File.ReadAllBytes(Path.Combine(shared.Ca.PkiFolder, "crl", "issuing.crl")));
        var entry = crl.GetRevokedCertificate(new Org.BouncyCastle.Math.BigInteger(issued.Serial, 16));
        Assert.NotNull(entry);
        var delta = new X509CrlParser().ReadCrl(File.ReadAllBytes(Path.Combine(shared.Ca.PkiFolder, "crl", "issuing-delta.crl")));
        Assert.NotNull(delta.GetRevokedCertificate(new Org.BouncyCastle.Math.BigInteger(issued.Serial, 16)));

        var issuer = new X509CertificateParser().ReadCertificate(File.ReadAllBytes(Path.Combine(shared.Ca.PkiFolder, "issuing.crt")));
        var generator = new OcspReqGenerator();
        generator.AddRequest(new CertificateID(CertificateID.DigestSha1, issuer, new Org.BouncyCastle.Math.BigInteger(issued.Serial, 16)));
        var answer = await shared.Ca.Host.Services.GetRequiredService<OcspResponder>().RespondAsync(generator.Generate().GetEncoded());
        var basic = (BasicOcspResp)new OcspResp(answer.Body).GetResponseObject();
        var status = Assert.IsType<RevokedStatus>(basic.Responses[0].GetCertStatus());
        Assert.Equal((int)reason, status.HasRevocationReason ? status.RevocationReason : 0);
    }

    [Fact]
    public async Task Near_the_end_of_the_issuing_ca_a_certificate_ends_with_it()
    {
        using var issuer = X509CertificateLoader.LoadCertificateFromFile(Path.Combine(shared.Ca.PkiFolder, "issuing.crt"));
        var time = new FakeTimeProvider(new DateTimeOffset(issuer.NotAfter.ToUniversalTime()) - TimeSpan.FromDays(10));
        await using var late = await PkiTestCa.CreateAsync(time);
        using var lateIssuer = X509CertificateLoader.LoadCertificateFromFile(Path.Combine(late.PkiFolder, "issuing.crt"));
        time.Advance(TimeSpan.FromDays(3650 - 10));

        var issued = await late.Authority.IssueAsync("pejabat-signing", PkiTestCa.Official, shared.Keys[0], "property");

        Assert.True(issued.Success, issued.Error);
        Assert.Equal(new DateTimeOffset(lateIssuer.NotAfter.ToUniversalTime()), issued.Value!.NotAfter);
    }

    [Fact]
    public async Task The_ocsp_certificate_is_renewed_before_it_runs_out_and_answers_carry_the_new_one()
    {
        var time = new FakeTimeProvider(TimeProvider.System.GetUtcNow());
        await using var ca = await PkiTestCa.CreateAsync(time);
        using var before = X509CertificateLoader.LoadCertificateFromFile(Path.Combine(ca.PkiFolder, "ocsp.crt"));

        var early = await ca.Authority.RenewServiceCertificatesAsync("system");
        time.Advance(TimeSpan.FromDays(250));
        var late = await ca.Authority.RenewServiceCertificatesAsync("system");

        Assert.Empty(early);
        Assert.Equal(["ocsp"], late);
        using var after = X509CertificateLoader.LoadCertificateFromFile(Path.Combine(ca.PkiFolder, "ocsp.crt"));
        Assert.NotEqual(before.SerialNumber, after.SerialNumber);
        Assert.Equal(before.PublicKey.EncodedKeyValue.RawData, after.PublicKey.EncodedKeyValue.RawData);
        Assert.True(after.NotAfter > before.NotAfter);
        var verify = await ca.VerifyAsync(Path.Combine(ca.PkiFolder, "ocsp.crt"), "-attime", time.GetUtcNow().ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(verify.ExitCode == 0, verify.ToString());
        var issuer = new X509CertificateParser().ReadCertificate(File.ReadAllBytes(Path.Combine(ca.PkiFolder, "issuing.crt")));
        var generator = new OcspReqGenerator();
        generator.AddRequest(new CertificateID(CertificateID.DigestSha1, issuer, new Org.BouncyCastle.Math.BigInteger(1, after.SerialNumberBytes.ToArray())));
        var answer = await ca.Host.Services.GetRequiredService<OcspResponder>().RespondAsync(generator.Generate().GetEncoded());
        var basic = (BasicOcspResp)new OcspResp(answer.Body).GetResponseObject();
        Assert.Equal(after.RawData, basic.GetCerts()[0].GetEncoded());
    }
}
