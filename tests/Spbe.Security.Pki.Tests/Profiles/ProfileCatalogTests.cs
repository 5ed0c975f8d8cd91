using Spbe.Security.Policies;
using Spbe.Security.Testing;

namespace Spbe.Security.Pki.Profiles;

public sealed class ProfileCatalogTests
{
    [Fact]
    public void The_shipped_profiles_load_with_the_required_purposes()
    {
        var catalog = new ProfileCatalog(new PolicyDirectory(RepositoryPaths.Policies));

        var errors = catalog.Load();

        Assert.Empty(errors);
        Assert.Equal(["ocsp-signing", "opd-seal", "pejabat-signing", "tls-server", "tsa"], catalog.Profiles.Keys.Order(StringComparer.Ordinal));
        var pejabat = catalog.Profiles["pejabat-signing"];
        Assert.Equal(SubjectKind.Person, pejabat.Subject);
        Assert.Equal(["digitalSignature", "nonRepudiation"], pejabat.KeyUsage);
        Assert.Equal(["emailProtection"], pejabat.ExtendedKeyUsage);
        Assert.True(catalog.Profiles["tsa"].ExtendedKeyUsageCritical);
        Assert.True(catalog.Profiles["ocsp-signing"].OcspNoCheck);
        Assert.Equal(["go.id"], catalog.Profiles["tls-server"].DnsSuffixes);
    }

    [Theory]
    [InlineData("extendedKeyUsage: [documentSigning]", "common validators reject it")]
    [InlineData("keyAlgorithms: [rsa-2048]", "'rsa-2048' is not a key type")]
    [InlineData("keyUsage: [keyCertSign]", "not an end-entity key usage")]
    [InlineData("validityDays: 0", "from 1 to 3650")]
    [InlineData("subject: robot", "must be person, organization, server or service")]
    [InlineData("extendedKeyUsage: [timeStamping]", "marked critical")]
    [InlineData("colour: blue", "unknown key 'colour'")]
    [InlineData("dnsSuffixes: [go.id]", "for server profiles only")]
    public void Invalid_profiles_are_reported_with_their_position(string line, string message)
    {
        var lines = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["name"] = "name: contoh",
            ["description"] = "description: Contoh",
            ["subject"] = "subject: person",
            ["validityDays"] = "validityDays: 365",
            ["keyAlgorithms"] = "keyAlgorithms: [ecdsa-p256]",
            ["keyUsage"] = "keyUsage: [digitalSignature]",
            ["extendedKeyUsage"] = "extendedKeyUsage: [emailProtection]",
        };
        lines[line.Split(':')[0]] = line;
        var file = YamlPolicyFile.FromText("policies/pki/profiles/contoh.yaml", string.Join('\n', lines.Values));

        var profile = ProfileCatalog.Parse(file, "contoh");

        Assert.Contains(file.Errors, e => e.Reason.Contains(message, StringComparison.Ordinal) && e.Line > 0);
        Assert.True(profile is null || file.Errors.Count > 0);
    }

    [Fact]
    public void A_profile_in_a_file_of_another_name_is_refused()
    {
        var file = YamlPolicyFile.FromText("policies/pki/profiles/a.yaml",
            "name: b\ndescription: x\nsubject: person\nvalidityDays: 1\nkeyAlgorithms: [ecdsa-p256]\nkeyUsage: [digitalSignature]");

        ProfileCatalog.Parse(file, "a");

        Assert.Contains(file.Errors, e => e.Reason.Contains("file named b.yaml", StringComparison.Ordinal));
    }
}
