using System.Text.RegularExpressions;
using Markdig;

namespace Spbe.Security.Host.Soc;

/// <summary>
/// The runbooks (<c>runbooks/*.md</c>, shipped beside the binaries) for the console: each rendered from Markdown with raw
/// HTML disabled (shown as text), and the incident types each handles. A runbook declares its types on a line
/// <c>&lt;!-- menangani: group_a, group_b --&gt;</c> naming rule groups; an incident links to the first runbook (by file
/// name) whose types meet its groups.
/// </summary>
public sealed partial class RunbookCatalog
{
    /// <summary>The folder the runbooks ship in, beside the binaries.</summary>
    public const string Folder = "runbooks";

    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder().UsePipeTables().UseAutoIdentifiers().DisableHtml().Build();

    private readonly Dictionary<string, Runbook> _byName;
    private readonly List<(string Group, Runbook Runbook)> _byGroup = [];

    /// <summary>Reads the runbooks in <paramref name="directory"/> (none when it does not exist).</summary>
    public RunbookCatalog(string directory)
    {
        _byName = new Dictionary<string, Runbook>(StringComparer.Ordinal);
        if (!Directory.Exists(directory))
        {
            return;
        }

        foreach (var path in Directory.GetFiles(directory, "*.md").Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileNameWithoutExtension(path);
            var text = File.ReadAllText(path);
            var handles = HandlesLine().Match(text) is { Success: true } m
                ? m.Groups[1].Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                : [];
            var body = HandlesLine().Replace(text, "");
            var title = TitleLine().Match(body) is { Success: true } t ? t.Groups[1].Value.Trim() : name;
            var runbook = new Runbook(name, title, handles, Markdown.ToHtml(body, Pipeline));
            _byName[name] = runbook;
            foreach (var group in handles)
            {
                _byGroup.Add((group, runbook));
            }
        }
    }

    /// <summary>The catalog of the runbooks shipped with this build.</summary>
    public static RunbookCatalog Shipped() => new(Path.Combine(AppContext.BaseDirectory, Folder));

    /// <summary>All runbooks, by file name.</summary>
    public IEnumerable<Runbook> All => _byName.Values.OrderBy(r => r.Name, StringComparer.Ordinal);

    /// <summary>The runbook named <paramref name="name"/> (file name without <c>.md</c>), or null.</summary>
    public Runbook? Find(string name) => _byName.GetValueOrDefault(name);

    /// <summary>The runbook for an incident of rule groups <paramref name="groups"/> (space-separated, parent rules'
    /// groups first, as the engine lists them), or null.</summary>
    public Runbook? For(string groups)
    {
        ArgumentNullException.ThrowIfNull(groups);

        // Note: a child rule's own groups come last, and they are the more specific type (password_spraying after
        // authentication_failures), so the incident's groups are tried from the last.
        foreach (var group in groups.Split([' ', ','], StringSplitOptions.RemoveEmptyEntries).Reverse())
        {
            if (_byGroup.FirstOrDefault(g => string.Equals(g.Group, group, StringComparison.Ordinal)).Runbook is { } runbook)
            {
                return runbook;
            }
        }

        return null;
    }

    [GeneratedRegex(@"^<!--\s*menangani:\s*([^>]*?)\s*-->\s*$\n?", RegexOptions.Multiline)]
    private static partial Regex HandlesLine();

    [GeneratedRegex(@"^#\s+(.+)$", RegexOptions.Multiline)]
    private static partial Regex TitleLine();
}

/// <summary>One runbook: its file name, title, the rule groups it handles and its HTML.</summary>
public sealed record Runbook(string Name, string Title, IReadOnlyList<string> Handles, string Html);
