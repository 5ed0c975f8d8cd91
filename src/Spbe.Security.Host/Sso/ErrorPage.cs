using System.Text.Encodings.Web;
using OpenIddict.Abstractions;

namespace Spbe.Security.Host.Sso;

/// <summary>
/// The page shown when a sign-in request cannot go back to the application (unknown client, unregistered redirect
/// URI, malformed request): the standard OAuth error code and description for the application's developer, and a
/// plain explanation for the person in front of the browser. Everything shown is HTML-encoded.
/// </summary>
internal static class ErrorPage
{
    public static IResult Result(OpenIddictResponse failure, UiText text) =>
        Results.Content(Render(failure.Error ?? "server_error", failure.ErrorDescription, text), "text/html; charset=utf-8", statusCode: StatusCodes.Status400BadRequest);

    public static string Render(string error, string? description, UiText text)
    {
        var e = HtmlEncoder.Default;
        var title = text["Terjadi kesalahan"];
        return $"""
            <!DOCTYPE html>
            <html lang="{UiText.Language}">
            <head><meta charset="utf-8" /><meta name="viewport" content="width=device-width, initial-scale=1" />
            <title>{e.Encode(title)} · SSO SPBE</title><link rel="stylesheet" href="/css/spbe.css" /></head>
            <body>
            <header class="bar"><span class="brand">SSO SPBE</span><span class="sub">Pemerintah Kota</span></header>
            <main id="isi" class="card">
            <h1>{e.Encode(title)}</h1>
            <p role="alert">{e.Encode(text["Permintaan masuk dari aplikasi ini tidak dapat diproses. Kembali ke aplikasi dan coba lagi; jika berulang, hubungi pengelola aplikasi tersebut."])}</p>
            <p>{e.Encode(text["Untuk pengembang aplikasi"])}: <code id="kode-galat">{e.Encode(error)}</code></p>
            <p><small id="uraian-galat">{e.Encode(description ?? string.Empty)}</small></p>
            <p><a href="/">{e.Encode(text["Kembali ke beranda"])}</a></p>
            </main>
            <footer class="foot">Layanan Keamanan SPBE · DISKOMINFO</footer>
            </body>
            </html>
            """;
    }
}
