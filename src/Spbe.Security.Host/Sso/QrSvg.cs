using System.Globalization;
using System.Text;
using Spbe.Security.Core.Qr;

namespace Spbe.Security.Host.Sso;

/// <summary>Draws a QR code as an inline SVG of squares (no image file, no script; allowed by the page's CSP).</summary>
internal static class QrSvg
{
    public static string Render(string text, string label)
    {
        var code = QrCode.Encode(Encoding.UTF8.GetBytes(text), QrErrorCorrection.Medium);
        // Note: four light modules of quiet zone on every side, as scanners expect.
        var size = code.Size + 8;
        var svg = new StringBuilder(size * size * 8);
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {size} {size}\" width=\"220\" height=\"220\" role=\"img\" aria-label=\"{System.Net.WebUtility.HtmlEncode(label)}\" shape-rendering=\"crispEdges\">");
        svg.Append(CultureInfo.InvariantCulture, $"<rect width=\"{size}\" height=\"{size}\" fill=\"#fff\"/><path fill=\"#000\" d=\"");
        for (var y = 0; y < code.Size; y++)
        {
            for (var x = 0; x < code.Size; x++)
            {
                if (code[x, y])
                {
                    svg.Append(CultureInfo.InvariantCulture, $"M{x + 4} {y + 4}h1v1h-1z");
                }
            }
        }

        return svg.Append("\"/></svg>").ToString();
    }
}
