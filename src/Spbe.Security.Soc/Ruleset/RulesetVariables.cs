using System.Text;

namespace Spbe.Security.Soc.Ruleset;

/// <summary>
/// Wazuh's file variables: a top-level <c>&lt;var name="X"&gt;value&lt;/var&gt;</c> defines <c>$X</c> for its own file,
/// substituted in element text and attribute values longer than two characters. A name ends at <c>$ . | ,</c>, a space
/// or the end; names ignore case; a <c>$</c> not followed by a name (or followed by <c>(</c>, as in a rule
/// description's <c>$(field)</c>) stays as it is. Without any variable in the file nothing is substituted.
/// </summary>
public static class RulesetVariables
{
    /// <summary>The file's elements with variables substituted and the <c>var</c> elements removed.</summary>
    public static IReadOnlyList<RulesetElement> Apply(IReadOnlyList<RulesetElement> roots, Action<int, string> problem)
    {
        ArgumentNullException.ThrowIfNull(roots);
        ArgumentNullException.ThrowIfNull(problem);
        var variables = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var v in roots.Where(r => string.Equals(r.Name, "var", StringComparison.OrdinalIgnoreCase)))
        {
            if (v.Attribute("name") is { Length: > 0 } name)
            {
                variables[name] = v.Text;
            }
            else
            {
                problem(v.Line, "<var> without a name");
            }
        }

        var rest = roots.Where(r => !string.Equals(r.Name, "var", StringComparison.OrdinalIgnoreCase)).ToList();
        return variables.Count == 0 ? rest : [.. rest.Select(r => Substitute(r, variables, problem))];
    }

    private static RulesetElement Substitute(RulesetElement e, Dictionary<string, string> variables, Action<int, string> problem) =>
        e with
        {
            Text = Replace(e.Text, variables, e.Line, problem),
            Attributes = [.. e.Attributes.Select(a => new KeyValuePair<string, string>(a.Key, Replace(a.Value, variables, e.Line, problem)))],
            Children = [.. e.Children.Select(c => Substitute(c, variables, problem))],
        };

    private static string Replace(string text, Dictionary<string, string> variables, int line, Action<int, string> problem)
    {
        if (text.Length <= 2 || !text.Contains('$', StringComparison.Ordinal))
        {
            return text;
        }

        var result = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] != '$')
            {
                result.Append(text[i]);
                continue;
            }

            var end = i + 1;
            while (end < text.Length && text[end] is not ('$' or '.' or '|' or ',' or ' ' or '('))
            {
                end++;
            }

            var name = text[(i + 1)..end];
            if (name.Length == 0 || (end < text.Length && text[end] == '(' && name.Length == 0))
            {
                result.Append('$');
                continue;
            }

            if (variables.TryGetValue(name, out var value))
            {
                result.Append(value);
            }
            else
            {
                problem(line, $"unknown variable ${name}");
                result.Append('$').Append(name);
            }

            i = end - 1;
        }

        return result.ToString();
    }
}
