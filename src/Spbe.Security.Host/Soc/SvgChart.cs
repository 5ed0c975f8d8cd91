using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Html;

namespace Spbe.Security.Host.Soc;

/// <summary>
/// Small bar charts drawn on the server as inline SVG: the console's dashboards need no script and no front-end build, and
/// read the same with scripts off. Every label is HTML-encoded (OPD codes and the like are data, and data is untrusted).
/// </summary>
public static class SvgChart
{
    /// <summary>A bar chart of <paramref name="bars"/>, with a text equivalent for screen readers.</summary>
    /// <param name="id">The element id.</param>
    /// <param name="title">What it shows (the accessible name).</param>
    /// <param name="bars">Label, value, and an optional CSS class per bar (e.g. a severity).</param>
    /// <param name="format">How a value is written on its bar.</param>
    /// <param name="max">The top of the scale; the largest value when null.</param>
    public static IHtmlContent Bars(string id, string title, IReadOnlyList<(string Label, double Value, string? Class)> bars, Func<double, string>? format = null, double? max = null)
    {
        ArgumentNullException.ThrowIfNull(bars);
        format ??= v => v.ToString("0", CultureInfo.InvariantCulture);
        var enc = HtmlEncoder.Default;
        const int barWidth = 36, gap = 10, height = 160, top = 18, bottom = 48;
        var width = Math.Max(200, (bars.Count * (barWidth + gap)) + gap);
        var scale = max ?? (bars.Count == 0 ? 1 : Math.Max(bars.Max(b => b.Value), 1));
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg id=\"{enc.Encode(id)}\" class=\"grafik\" role=\"img\" aria-label=\"{enc.Encode(title)}\" viewBox=\"0 0 {width} {height + top + bottom}\" width=\"{width}\" height=\"{height + top + bottom}\">");
        svg.Append(CultureInfo.InvariantCulture, $"<title>{enc.Encode(title)}</title>");
        svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"0\" y1=\"{top + height}\" x2=\"{width}\" y2=\"{top + height}\" class=\"sumbu\" />");
        for (var i = 0; i < bars.Count; i++)
        {
            var (label, value, cls) = bars[i];
            var h = scale <= 0 ? 0 : Math.Round(Math.Clamp(value / scale, 0, 1) * height, 1);
            var x = gap + (i * (barWidth + gap));
            var y = top + height - h;
            svg.Append(CultureInfo.InvariantCulture,
                $"<g class=\"batang {enc.Encode(cls ?? "")}\"><title>{enc.Encode(label)}: {enc.Encode(format(value))}</title>");
            svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{x}\" y=\"{y.ToString(CultureInfo.InvariantCulture)}\" width=\"{barWidth}\" height=\"{h.ToString(CultureInfo.InvariantCulture)}\" />");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{x + (barWidth / 2)}\" y=\"{(y - 4).ToString(CultureInfo.InvariantCulture)}\" text-anchor=\"middle\" class=\"nilai\">{enc.Encode(format(value))}</text>");
            svg.Append(CultureInfo.InvariantCulture,
                $"<text x=\"{x + (barWidth / 2)}\" y=\"{top + height + 14}\" text-anchor=\"end\" transform=\"rotate(-40 {x + (barWidth / 2)} {top + height + 14})\" class=\"label\">{enc.Encode(Shorten(label))}</text></g>");
        }

        svg.Append("</svg>");
        return new HtmlString(svg.ToString());
    }

    private static string Shorten(string label) => label.Length <= 14 ? label : label[..13] + "…";
}
