using Spbe.Security.Policies;
using Spbe.Security.Testing;

namespace Spbe.Security.Identity.Organizations;

public sealed class OpdCatalogTests
{
    private static YamlPolicyFile Parse(string yaml, out List<Opd> opds)
    {
        var file = YamlPolicyFile.FromText("policies/identity/opd.yaml", yaml);
        opds = OpdCatalog.Parse(file);
        return file;
    }

    [Fact]
    public void The_real_file_lists_the_city_agencies_the_issue_names()
    {
        var catalog = new OpdCatalog(new PolicyDirectory(RepositoryPaths.Policies));

        Assert.Empty(catalog.Load());
        var codes = catalog.All.Select(o => o.Code).ToHashSet();
        Assert.Superset(new HashSet<string> { "DISKOMINFO", "BAPPEDA", "BKPSDM", "BPKAD", "DISDUKCAPIL", "DINKES", "DISDIK", "DPMPTSP", "INSPEKTORAT", "SETDA" }, codes);
        Assert.Contains(catalog.All, o => o.Kind == OpdKind.Kecamatan);
        Assert.True(catalog.TryFind("DISKOMINFO", out var diskominfo));
        Assert.Equal("Dinas Komunikasi dan Informatika", diskominfo.Name);
        Assert.False(catalog.TryFind("diskominfo", out _));
    }

    [Fact]
    public void A_valid_entry_is_read_with_defaults()
    {
        var file = Parse("opds:\n  - code: DISKOMINFO\n    name: Dinas Komunikasi dan Informatika\n    kind: dinas\n  - code: KEC-LAMA\n    name: Kecamatan Lama\n    kind: Kecamatan\n    active: false\n", out var opds);

        Assert.Empty(file.Errors);
        Assert.Equal(
            [new Opd("DISKOMINFO", "Dinas Komunikasi dan Informatika", OpdKind.Dinas, true), new Opd("KEC-LAMA", "Kecamatan Lama", OpdKind.Kecamatan, false)],
            opds);
    }

    [Theory]
    [InlineData("opds:\n  - code: bad code\n    name: X\n    kind: dinas\n", 2, PolicyErrors.Invalid, "OPD code 'bad code'")]
    [InlineData("opds:\n  - code: A1\n    name: X\n    kind: dinas\n  - code: A1\n    name: Y\n    kind: badan\n", 5, PolicyErrors.Duplicate, "already used on line 2")]
    [InlineData("opds:\n  - code: A1\n    kind: dinas\n", 2, PolicyErrors.Missing, "'name' is required")]
    [InlineData("opds:\n  - code: A1\n    name: X\n    kind: kementerian\n", 4, PolicyErrors.Invalid, "unknown kind 'kementerian'")]
    [InlineData("opds:\n  - code: A1\n    name: X\n    kind: '1'\n", 4, PolicyErrors.Invalid, "unknown kind '1'")]
    [InlineData("opds:\n  - code: A1\n    name: X\n    kind: dinas, badan\n", 4, PolicyErrors.Invalid, "unknown kind 'dinas, badan'")]
    [InlineData("opds:\n  - code: A1\n    name: X\n    kind: '+1'\n", 4, PolicyErrors.Invalid, "unknown kind '+1'")]
    [InlineData("opds:\n  - code: A1\n    name: X\n    kind: dinas\n    singkatan: Y\n", 5, PolicyErrors.UnknownKey, "unknown key 'singkatan'")]
    [InlineData("opds:\n  - code: A1\n    name: X\n    kind: dinas\n    active: kadang\n", 5, PolicyErrors.Invalid, "must be true or false")]
    [InlineData("opd:\n  - code: A1\n", 1, PolicyErrors.UnknownKey, "unknown key 'opd'")]
    [InlineData("opds: []\n", 1, PolicyErrors.Missing, "at least one OPD")]
    [InlineData("- just a list\n", 1, PolicyErrors.WrongType, "must be a mapping")]
    public void Each_mistake_is_reported_with_line_code_and_reason(string yaml, int line, string code, string reason)
    {
        var file = Parse(yaml, out _);

        Assert.Contains(file.Errors, e => e.Line == line && e.Code == code && e.Reason.Contains(reason, StringComparison.Ordinal));
    }

    [Fact]
    public void A_name_longer_than_the_store_keeps_is_refused()
    {
        var file = Parse($"opds:\n  - code: A1\n    name: {new string('x', OpdCatalog.MaxNameLength + 1)}\n    kind: dinas\n", out var opds);

        Assert.Equal((3, PolicyErrors.Invalid), (Assert.Single(file.Errors).Line, file.Errors[0].Code));
        Assert.Empty(opds);
    }

    [Fact]
    public void All_mistakes_of_a_file_are_reported_together()
    {
        var file = Parse("opds:\n  - code: x\n    name: A\n    kind: dinas\n  - code: B1\n    kind: nope\n", out var opds);

        Assert.Equal([2, 5, 6], file.Errors.Select(e => e.Line));
        Assert.Empty(opds);
    }

    [Fact]
    public void Using_an_invalid_catalog_throws_with_every_problem()
    {
        using var temp = new TempDirectory();
        Directory.CreateDirectory(temp.Combine("identity"));
        File.WriteAllText(temp.Combine("identity", "opd.yaml"), "opds:\n  - code: x\n");
        var catalog = new OpdCatalog(new PolicyDirectory(temp.Path));

        var error = Assert.Throws<PolicyException>(() => catalog.All);

        Assert.All(error.Errors, e => Assert.Equal("policies/identity/opd.yaml", e.File));
        Assert.True(error.Errors.Count >= 3);
    }

    [Fact]
    public void A_missing_file_is_reported()
    {
        using var temp = new TempDirectory();

        var error = Assert.Single(new OpdCatalog(new PolicyDirectory(temp.Path)).Load());

        Assert.Equal(PolicyErrors.FileMissing, error.Code);
    }
}
