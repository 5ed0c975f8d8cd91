using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Spbe.Security.Policies;

/// <summary>
/// One YAML policy file read into nodes that keep their positions, with helpers that record every problem
/// (file, line, column, code, reason) instead of stopping at the first.
/// </summary>
public sealed class YamlPolicyFile
{
    private readonly List<PolicyError> _errors = [];

    private YamlPolicyFile(string displayPath)
    {
        DisplayPath = displayPath;
    }

    /// <summary>The file as named in messages.</summary>
    public string DisplayPath { get; }

    /// <summary>The document's root node, or <see langword="null"/> when the file is missing, empty or malformed.</summary>
    public YamlNode? Root { get; private set; }

    /// <summary>The problems found so far.</summary>
    public IReadOnlyList<PolicyError> Errors => _errors;

    /// <summary>Reads <paramref name="relativePath"/> from <paramref name="directory"/>.</summary>
    public static YamlPolicyFile Load(PolicyDirectory directory, string relativePath)
    {
        ArgumentNullException.ThrowIfNull(directory);
        var fullPath = directory.PathOf(relativePath);
        var file = new YamlPolicyFile(directory.Display(fullPath));
        if (!File.Exists(fullPath))
        {
            file._errors.Add(new PolicyError(file.DisplayPath, 0, 0, PolicyErrors.FileMissing,
                $"the file does not exist (policies directory: {directory.Root})"));
            return file;
        }

        string text;
        try
        {
            text = File.ReadAllText(fullPath);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            file._errors.Add(new PolicyError(file.DisplayPath, 0, 0, PolicyErrors.FileMissing, $"the file cannot be read: {ex.Message}"));
            return file;
        }

        file.Parse(text);
        return file;
    }

    /// <summary>Reads YAML text, naming it <paramref name="displayPath"/> in messages.</summary>
    public static YamlPolicyFile FromText(string displayPath, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var file = new YamlPolicyFile(displayPath);
        file.Parse(text);
        return file;
    }

    /// <summary>Records a problem at <paramref name="node"/>'s position.</summary>
    public void Error(YamlNode? node, string code, string reason)
    {
        var line = node is null ? 0 : (int)node.Start.Line;
        var column = node is null ? 0 : (int)node.Start.Column;
        _errors.Add(new PolicyError(DisplayPath, line, column, code, reason));
    }

    /// <summary>Returns <paramref name="node"/> as a mapping, or records a problem.</summary>
    public YamlMappingNode? AsMapping(YamlNode? node, string what)
    {
        if (node is YamlMappingNode mapping)
        {
            return mapping;
        }

        Error(node, PolicyErrors.WrongType, $"{what} must be a mapping (key: value)");
        return null;
    }

    /// <summary>The sequence under <paramref name="key"/>, or records a problem when it is required and absent.</summary>
    public YamlSequenceNode? Sequence(YamlMappingNode mapping, string key, bool required = true)
    {
        ArgumentNullException.ThrowIfNull(mapping);
        if (!TryGet(mapping, key, out var node))
        {
            if (required)
            {
                Error(mapping, PolicyErrors.Missing, $"'{key}' is required");
            }

            return null;
        }

        if (node is YamlSequenceNode sequence)
        {
            return sequence;
        }

        Error(node, PolicyErrors.WrongType, $"'{key}' must be a list");
        return null;
    }

    /// <summary>The scalar under <paramref name="key"/> (trimmed), or records a problem when it is required and
    /// absent or empty.</summary>
    public string? Scalar(YamlMappingNode mapping, string key, bool required = true)
    {
        ArgumentNullException.ThrowIfNull(mapping);
        if (!TryGet(mapping, key, out var node))
        {
            if (required)
            {
                Error(mapping, PolicyErrors.Missing, $"'{key}' is required");
            }

            return null;
        }

        if (node is not YamlScalarNode scalar)
        {
            Error(node, PolicyErrors.WrongType, $"'{key}' must be a single value");
            return null;
        }

        var value = scalar.Value?.Trim();
        if (string.IsNullOrEmpty(value))
        {
            if (required)
            {
                Error(node, PolicyErrors.Missing, $"'{key}' must not be empty");
            }

            return null;
        }

        return value;
    }

    /// <summary>The boolean under <paramref name="key"/>, <paramref name="defaultValue"/> when absent.</summary>
    public bool Boolean(YamlMappingNode mapping, string key, bool defaultValue)
    {
        var text = Scalar(mapping, key, required: false);
        if (text is null)
        {
            return defaultValue;
        }

        if (bool.TryParse(text, out var value))
        {
            return value;
        }

        Error(Node(mapping, key), PolicyErrors.Invalid, $"'{key}' must be true or false, not '{text}'");
        return defaultValue;
    }

    /// <summary>Records a problem for every key of <paramref name="mapping"/> not in <paramref name="allowed"/>.</summary>
    public void RejectUnknownKeys(YamlMappingNode mapping, params string[] allowed)
    {
        ArgumentNullException.ThrowIfNull(mapping);
        foreach (var key in mapping.Children.Keys)
        {
            var name = (key as YamlScalarNode)?.Value ?? key.ToString();
            if (!allowed.Contains(name, StringComparer.Ordinal))
            {
                Error(key, PolicyErrors.UnknownKey,
                    $"unknown key '{name}' (allowed: {string.Join(", ", allowed)})");
            }
        }
    }

    /// <summary>The node under <paramref name="key"/>, for positioning a message.</summary>
    public static YamlNode? Node(YamlMappingNode mapping, string key) =>
        TryGet(mapping, key, out var node) ? node : mapping;

    private static bool TryGet(YamlMappingNode mapping, string key, out YamlNode node) =>
        mapping.Children.TryGetValue(new YamlScalarNode(key), out node!);

    private void Parse(string text)
    {
        var stream = new YamlStream();
        var parser = new Parser(new StringReader(text));
        try
        {
            stream.Load(parser);
        }
        catch (YamlException ex)
        {
            _errors.Add(new PolicyError(DisplayPath, (int)ex.Start.Line, (int)ex.Start.Column, PolicyErrors.Syntax,
                string.Create(CultureInfo.InvariantCulture, $"not well-formed YAML: {FirstLine(ex.Message)}")));
            return;
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or FormatException or OverflowException)
        {
            // Note: YamlDotNet's scanner throws these (not YamlException) on some malformed input; position them at
            // the last event it parsed.
            var mark = parser.Current?.End;
            _errors.Add(new PolicyError(DisplayPath, (int)(mark?.Line ?? 0), (int)(mark?.Column ?? 0), PolicyErrors.Syntax,
                "not well-formed YAML near this position"));
            return;
        }

        if (stream.Documents.Count == 0)
        {
            _errors.Add(new PolicyError(DisplayPath, 0, 0, PolicyErrors.Missing, "the file is empty"));
            return;
        }

        if (stream.Documents.Count > 1)
        {
            Error(stream.Documents[1].RootNode, PolicyErrors.Syntax, "a policy file holds exactly one YAML document");
        }

        Root = stream.Documents[0].RootNode;
    }

    private static string FirstLine(string message)
    {
        // Note: YamlDotNet prefixes messages with "(Line: x, Col: y, Idx: z) - (...)": the position is already ours.
        var text = message;
        var dash = text.IndexOf("): ", StringComparison.Ordinal);
        if (text.StartsWith('(') && dash > 0)
        {
            text = text[(dash + 3)..];
        }

        var newline = text.IndexOfAny(['\r', '\n']);
        return newline < 0 ? text : text[..newline];
    }
}
