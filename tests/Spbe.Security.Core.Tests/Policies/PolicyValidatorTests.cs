namespace Spbe.Security.Policies;

public sealed class PolicyValidatorTests
{
    private sealed class TextPolicy(string name, string yaml) : IPolicySource
    {
        public string Name => name;

        public IReadOnlyList<string> Files => [name + ".yaml"];

        public IReadOnlyList<PolicyError> Load()
        {
            var file = YamlPolicyFile.FromText(name + ".yaml", yaml);
            if (file.Root is not null && file.AsMapping(file.Root, "the document") is { } root)
            {
                file.RejectUnknownKeys(root, "ok");
            }

            return file.Errors;
        }
    }

    [Fact]
    public void Reports_the_problems_of_every_source_together()
    {
        var validator = new PolicyValidator([new TextPolicy("a", "ok: 1\nbad: 2\n"), new TextPolicy("b", "ok: [\n"), new TextPolicy("c", "ok: 1\n")]);

        var error = Assert.Throws<PolicyException>(validator.LoadAll);

        Assert.Equal(["a.yaml", "b.yaml"], error.Errors.Select(e => e.File));
        Assert.Contains("(and 1 more)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Returns_the_names_of_valid_sources()
    {
        Assert.Equal(["a", "c"], new PolicyValidator([new TextPolicy("a", "ok: 1"), new TextPolicy("c", "ok: 2")]).LoadAll());
    }
}
