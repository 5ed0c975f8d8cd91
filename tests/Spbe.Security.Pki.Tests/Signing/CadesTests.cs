using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Spbe.Security.Pki.Authority;
using Spbe.Security.Testing;

namespace Spbe.Security.Pki.Signing;

/// <summary>Detached CAdES signatures (.p7s) for files that are not PDFs, judged by openssl cms as well as by our verifier.</summary>
[Trait("Category", "Database")]
public sealed class CadesTests
{
    private const string Passphrase = "kata-sandi-penandatangan-2026";

    [Theory]
    [InlineData(PadesLevel.BB, "B-B")]
    [InlineData(PadesLevel.BLT, "B-T")]
    public async Task A_detached_signature_verifies_with_openssl_and_ours_and_a_changed_file_fails_both(PadesLevel level, string reached)
    {
        await using var ca = await PkiTestCa.CreateAsync();
        var registration = ca.Host.Services.GetRequiredService<RegistrationAuthority>();
        var requested = await registration.RequestAsync("pejabat-signing", PkiTestCa.Official, null, Passphrase, PkiTestCa.Nip);
        Assert.True((await registration.ApproveAsync(requested.Value!.Id, "petugas-pki")).Success);
        var content = Encoding.UTF8.GetBytes("Lampiran nota dinas: daftar hadir rapat koordinasi SPBE, 23 November 2026.\n");

        var signed = await ca.Host.Services.GetRequiredService<SigningService>().SignDetachedAsync(content, new SignRequest(PkiTestCa.Nip, Passphrase, level));
        Assert.True(signed.Success, signed.Error);
        var data = Path.Combine(ca.Work, "lampiran.txt");
        var signature = Path.Combine(ca.Work, "lampiran.txt.p7s");
        await File.WriteAllBytesAsync(data, content);
        await File.WriteAllBytesAsync(signature, signed.Value!.Signature);

        var openssl = await ExternalTool.OpenSslAsync(ca.Work, "cms", "-verify", "-binary", "-inform", "DER", "-in", signature, "-content", data,
            "-CAfile", Path.Combine(ca.PkiFolder, "root.crt"), "-purpose", "any", "-out", "/dev/null");
        var ours = await ca.Host.Services.GetRequiredService<DocumentVerifier>().VerifyDetachedAsync(content, signed.Value.Signature);
        Assert.True(openssl.ExitCode == 0, openssl.ToString());
        Assert.Equal(Indications.Passed, ours.Indication);
        Assert.Equal(reached, ours.Signatures[0].Level);
        Assert.Equal(PkiTestCa.Nip, ours.Signatures[0].Signer!.Nip);

        content[0] ^= 0x20;
        await File.WriteAllBytesAsync(data, content);
        var opensslChanged = await ExternalTool.OpenSslAsync(ca.Work, "cms", "-verify", "-binary", "-inform", "DER", "-in", signature, "-content", data,
            "-CAfile", Path.Combine(ca.PkiFolder, "root.crt"), "-purpose", "any", "-out", "/dev/null");
        var oursChanged = await ca.Host.Services.GetRequiredService<DocumentVerifier>().VerifyDetachedAsync(content, signed.Value.Signature);
        Assert.NotEqual(0, opensslChanged.ExitCode);
        Assert.Equal(Indications.Failed, oursChanged.Indication);
        Assert.Equal(SubIndications.HashFailure, oursChanged.SubIndication);
    }

    [Fact]
    public async Task Garbage_instead_of_a_signature_is_a_format_failure()
    {
        await using var ca = await PkiTestCa.CreateAsync();

        var report = await ca.Host.Services.GetRequiredService<DocumentVerifier>().VerifyDetachedAsync("isi"u8.ToArray(), [0x30, 0x03, 0x02, 0x01, 0x01]);

        Assert.Equal(Indications.Failed, report.Indication);
        Assert.Equal(SubIndications.FormatFailure, report.SubIndication);
    }
}
