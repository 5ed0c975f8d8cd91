using FsCheck;
using FsCheck.Xunit;

namespace Spbe.Security.Policies;

public sealed class YamlPolicyFileTests
{
    [Fact]
    public void Syntax_error_is_reported_with_its_line()
    {
        var file = YamlPolicyFile.FromText("policies/x.yaml", "items:\n  - a: 1\n  - b: [unclosed\n  - c: 3\n");

        var error = Assert.Single(file.Errors);
        Assert.Equal(PolicyErrors.Syntax, error.Code);
        Assert.True(error.Line >= 3, $"line {error.Line}");
        Assert.StartsWith($"policies/x.yaml:{error.Line}:", error.ToString(), StringComparison.Ordinal);
        Assert.Null(file.Root);
    }

    [Fact]
    public void Duplicate_keys_are_a_syntax_error()
    {
        var file = YamlPolicyFile.FromText("p.yaml", "code: A\ncode: B\n");

        Assert.Equal(PolicyErrors.Syntax, Assert.Single(file.Errors).Code);
    }

    [Fact]
    public void Helpers_record_every_problem_with_positions()
    {
        var file = YamlPolicyFile.FromText("p.yaml", "name: ''\nlist: x\nflag: maybe\ntypo: 1\n");
        var root = file.AsMapping(file.Root, "the document")!;

        Assert.Null(file.Scalar(root, "name"));
        Assert.Null(file.Sequence(root, "list"));
        Assert.Null(file.Scalar(root, "missing"));
        Assert.True(file.Boolean(root, "flag", defaultValue: true));
        file.RejectUnknownKeys(root, "name", "list", "flag");

        Assert.Equal(
            [(1, PolicyErrors.Missing), (2, PolicyErrors.WrongType), (1, PolicyErrors.Missing), (3, PolicyErrors.Invalid), (4, PolicyErrors.UnknownKey)],
            file.Errors.Select(e => (e.Line, e.Code)));
    }

    [Fact]
    public void Empty_file_is_reported()
    {
        Assert.Equal(PolicyErrors.Missing, Assert.Single(YamlPolicyFile.FromText("p.yaml", "# only a comment\n").Errors).Code);
    }

    [Property(MaxTest = 500)]
    public bool Reading_arbitrary_text_never_throws(string text)
    {
        var file = YamlPolicyFile.FromText("p.yaml", text ?? string.Empty);
        return file.Root is not null || file.Errors.Count > 0;
    }
}
