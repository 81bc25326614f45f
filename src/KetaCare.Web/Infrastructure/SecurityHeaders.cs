namespace KetaCare.Web.Infrastructure;

/// <summary>
/// Security headers on every response. The CSP allows only the app's own scripts, styles, fonts and images (no inline
/// script, nothing from another origin — the app works with no internet), forbids framing, and sends no referrer.
/// </summary>
internal sealed class SecurityHeaders(RequestDelegate next)
{
    /// <summary>The Content-Security-Policy sent with every response.</summary>
    public const string Csp = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    public Task InvokeAsync(HttpContext context)
    {
        var headers = context.Response.Headers;
        context.Response.OnStarting(() =>
        {
            headers.ContentSecurityPolicy = Csp;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()";
            headers["Cross-Origin-Opener-Policy"] = "same-origin";
            if (!context.Request.Path.StartsWithSegments("/css", StringComparison.OrdinalIgnoreCase) && !context.Request.Path.StartsWithSegments("/js", StringComparison.OrdinalIgnoreCase) && !context.Request.Path.StartsWithSegments("/img", StringComparison.OrdinalIgnoreCase))
            {
                // Pages carry patient data: never store them in shared caches or the browser's history cache.
                headers.CacheControl = "no-store";
            }

            return Task.CompletedTask;
        });
        return next(context);
    }
}
