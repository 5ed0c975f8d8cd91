using Spbe.Security.Soc.Decoding;

namespace Spbe.Security.Soc.Rules;

/// <summary>The checks Wazuh compiles into analysisd that its stock rules name in <c>&lt;compiled_rule&gt;</c>.</summary>
internal static class CompiledRules
{
    public static readonly string[] Names = ["is_simple_http_request", "is_valid_crawler"];

    /// <summary>Crawler address prefixes (Google, Feedfetcher, Bing, Yahoo).</summary>
    private static readonly string[] Crawlers = ["66.249.", "72.14.", "209.85.", "65.55.", "207.46.", "74.6.", "72.30.", "67.195."];

    public static bool Holds(string name, AnalysisEvent e) => name switch
    {
        // Note: a plain request (the root, or a URL without a query) needs none of the attack rules.
        "is_simple_http_request" => e[StaticField.Url] is { } url && (url == "/" || !url.Contains('?', StringComparison.Ordinal)),
        "is_valid_crawler" => Crawlers.Any(prefix => e.Log.StartsWith(prefix, StringComparison.Ordinal)),
        _ => false,
    };
}
