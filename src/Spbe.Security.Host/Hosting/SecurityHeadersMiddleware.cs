namespace Spbe.Security.Host.Hosting;

/// <summary>Headers every response carries: no sniffing, no framing, no referrer leaks, a strict default CSP.</summary>
/// <remarks>Set when the response starts, so that responses rewritten by the exception handler carry them too.</remarks>
internal sealed class SecurityHeadersMiddleware(RequestDelegate next)
{
    /// <summary>The CSP hash of <c>document.form.submit();</c>, the script of OpenIddict's form_post response.</summary>
    internal const string FormPostScriptHash = "sha256-j7OoGArf6XW6YY4cAyS3riSSvrJRqpSi1fOF9vQ5SrI=";

    public Task InvokeAsync(HttpContext context)
    {
        context.Response.OnStarting(static state =>
        {
            var response = (HttpResponse)state;
            var headers = response.Headers;
            if (response.HttpContext.Request.IsHttps)
            {
                headers.StrictTransportSecurity = "max-age=31536000";
            }

            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            // Note: same-origin, not no-referrer: with no-referrer browsers send "Origin: null" on form posts, which the
            // passkey ceremony (and any origin check) must reject; other sites still receive no referrer.
            headers["Referrer-Policy"] = "same-origin";
            // Note: form-action also governs the redirects after a form is posted (login → authorize → application), so
            // it admits https origins and loopback (RFC 8252 native apps) besides 'self'. Scripts are 'self' plus the one
            // inline line of OpenIddict's response_mode=form_post page (by hash), which submits the code to the application.
            headers.ContentSecurityPolicy = "default-src 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'; " +
                $"script-src 'self' '{FormPostScriptHash}'; " +
                "form-action 'self' https: http://127.0.0.1:* http://localhost:* http://[::1]:*";
            headers["Cross-Origin-Opener-Policy"] = "same-origin";
            return Task.CompletedTask;
        }, context.Response);
        return next(context);
    }
}
