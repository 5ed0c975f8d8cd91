using System.Text.Json;

namespace Spbe.Security.Cli.Commands;

public sealed class VersionCommandTests
{
    [Fact]
    public async Task Prints_the_product_version_as_text_or_json()
    {
        var text = await CliRun.RunAsync("version");
        var json = await CliRun.RunAsync("version", "--json");

        Assert.Equal(0, text.ExitCode);
        Assert.StartsWith($"spbe {VersionCommand.ProductVersion} (.NET ", text.Out, StringComparison.Ordinal);
        using var document = JsonDocument.Parse(json.Out);
        Assert.Equal(VersionCommand.ProductVersion, document.RootElement.GetProperty("version").GetString());
        Assert.StartsWith("0.1.0", VersionCommand.ProductVersion, StringComparison.Ordinal);
    }
}
