using Microsoft.Extensions.DependencyInjection;
using Net.Pkcs11Interop.Common;
using Net.Pkcs11Interop.HighLevelAPI;
using Spbe.Security.Pki.Authority;
using Spbe.Security.Testing;

namespace Spbe.Security.Pki.Keys;

/// <summary>The CA on a PKCS#11 token (SoftHSM2 from Debian): keys generated on the token, never leaving it, and
/// everything it signs accepted by openssl.</summary>
[Trait("Category", "Database")]
public sealed class SoftHsmKeyStoreTests : IDisposable
{
    private const string Module = "/usr/lib/softhsm/libsofthsm2.so";
    private const string Pin = "123456";
    private const string PinVariable = "SPBE_TEST_SOFTHSM_PIN";
    private readonly TempDirectory _token = new();

    public void Dispose() => _token.Dispose();

    private async Task<string> InitTokenAsync(string label)
    {
        var config = _token.Combine("softhsm2.conf");
        Directory.CreateDirectory(_token.Combine("tokens"));
        await File.WriteAllTextAsync(config, $"directories.tokendir = {_token.Combine("tokens")}\nobjectstore.backend = file\nlog.level = ERROR\n");
        // Note: SoftHSM reads SOFTHSM2_CONF with getenv() when the module initialises; .NET's SetEnvironmentVariable
        // does not reach the native environment, so libc's setenv sets it for the module loaded in this process.
        Assert.Equal(0, NativeEnvironment.setenv("SOFTHSM2_CONF", config, 1));
        Environment.SetEnvironmentVariable(PinVariable, Pin);
        var init = await ExternalTool.RunAsync("softhsm2-util", ["--init-token", "--free", "--label", label, "--so-pin", "87654321", "--pin", Pin],
            environment: new Dictionary<string, string> { ["SOFTHSM2_CONF"] = config });
        Assert.True(init.ExitCode == 0, init.ToString());
        return label;
    }

    [ToolFact("softhsm2-util", "softhsm2")]
    public async Task The_ca_on_softhsm_issues_certificates_openssl_accepts_with_keys_that_never_leave_the_token()
    {
        var label = await InitTokenAsync("spbe-ca");
        var ca = await PkiTestCa.CreateAsync(
            new KeyValuePair<string, string?>("Pki:KeyStore", "Pkcs11"),
            new KeyValuePair<string, string?>("Pki:Pkcs11ModulePath", Module),
            new KeyValuePair<string, string?>("Pki:Pkcs11TokenLabel", label),
            new KeyValuePair<string, string?>("Pki:Pkcs11PinVariable", PinVariable));

        try
        {
            var csr = await ca.RequestAsync("hsm", "ec:P-256", "/CN=Budi Santoso");
            var issued = await ca.Authority.IssueFromRequestAsync("pejabat-signing", PkiTestCa.Official, File.ReadAllBytes(csr), "test");
            var revoked = await ca.Authority.RevokeAsync(issued.Value!.Serial, RevocationReason.KeyCompromise, "test");

            Assert.True(issued.Success, issued.Error);
            Assert.True(revoked.Success, revoked.Error);
            Assert.Equal("pkcs11", ca.Authority.Status()[1].KeyStore);
            var verify = await ca.VerifyAsync(ca.Save("hsm", issued.Value), "-purpose", "smimesign");
            Assert.True(verify.ExitCode == 0, verify.ToString());
            var crl = await ExternalTool.OpenSslAsync(ca.Work, "crl", "-inform", "DER", "-in", Path.Combine(ca.PkiFolder, "crl", "issuing.crl"),
                "-CAfile", Path.Combine(ca.PkiFolder, "issuing.crt"), "-noout");
            Assert.Contains("verify OK", crl.Output + crl.Error, StringComparison.Ordinal);
            // No key material in the data directory: every private key is on the token, sensitive and not extractable.
            Assert.False(Directory.Exists(Path.Combine(ca.DataDirectory, "keys", "pki")));
            Assert.IsType<Pkcs11KeyStore>(ca.Host.Services.GetRequiredService<IKeyStore>());
        }
        finally
        {
            // Note: PKCS#11 state is per process: the CA lets go of the module before the test opens it itself.
            await ca.DisposeAsync();
        }

        AssertKeysStayOnToken(label, ["root", "issuing", "ocsp", "tsa"]);
    }

    private static void AssertKeysStayOnToken(string tokenLabel, string[] keyLabels)
    {
        var factories = new Pkcs11InteropFactories();
        using var library = factories.Pkcs11LibraryFactory.LoadPkcs11Library(factories, Module, AppType.MultiThreaded);
        var slot = library.GetSlotList(SlotsType.WithTokenPresent).Single(s => s.GetTokenInfo().Label.Trim() == tokenLabel);
        using var session = slot.OpenSession(SessionType.ReadOnly);
        session.Login(CKU.CKU_USER, Pin);
        foreach (var keyLabel in keyLabels)
        {
            var key = Assert.Single(session.FindAllObjects(
            [
                factories.ObjectAttributeFactory.Create(CKA.CKA_CLASS, CKO.CKO_PRIVATE_KEY),
                factories.ObjectAttributeFactory.Create(CKA.CKA_LABEL, keyLabel),
            ]));
            var attributes = session.GetAttributeValue(key, [CKA.CKA_SENSITIVE, CKA.CKA_EXTRACTABLE, CKA.CKA_NEVER_EXTRACTABLE]);
            Assert.True(attributes[0].GetValueAsBool(), $"{keyLabel}: CKA_SENSITIVE");
            Assert.False(attributes[1].GetValueAsBool(), $"{keyLabel}: CKA_EXTRACTABLE");
            Assert.True(attributes[2].GetValueAsBool(), $"{keyLabel}: CKA_NEVER_EXTRACTABLE");
        }

        session.Logout();
    }
}

internal static class NativeEnvironment
{
#pragma warning disable SYSLIB1054 // Note: LibraryImport would need unsafe code in the test project for one call.
    [System.Runtime.InteropServices.DllImport("libc", CharSet = System.Runtime.InteropServices.CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
    internal static extern int setenv(string name, string value, int overwrite);
#pragma warning restore SYSLIB1054
}
