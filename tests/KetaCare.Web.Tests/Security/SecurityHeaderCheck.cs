using KetaCare.Web.Infrastructure;

namespace KetaCare.Web.Tests.Security;

/// <summary>
/// The headers every answer carries, whatever its status or content type (page, JSON, FHIR, PDF, redirect, refusal,
/// static file): the CSP, no sniffing, no framing, no referrer, same-origin opener, and no caching of anything that
/// may hold patient data (static files excepted).
/// </summary>
internal static class SecurityHeaderCheck
{
    /// <summary>The headers of <paramref name="response"/> that are absent or wrong, as "name: value found".</summary>
    public static IReadOnlyList<string> Missing(HttpResponseMessage response)
    {
        ArgumentNullException.ThrowIfNull(response);
        string? Header(string name) =>
            response.Headers.TryGetValues(name, out var v) ? string.Join(",", v)
            : response.Content.Headers.TryGetValues(name, out var c) ? string.Join(",", c) : null;
        var path = response.RequestMessage?.RequestUri?.AbsolutePath ?? string.Empty;
        var isStatic = new[] { "/css/", "/js/", "/img/" }.Any(p => path.StartsWith(p, StringComparison.OrdinalIgnoreCase));
        var expected = new List<(string Name, Func<string?, bool> Ok)>
        {
            ("Content-Security-Policy", v => v == SecurityHeaders.Csp),
            ("X-Content-Type-Options", v => v == "nosniff"),
            ("X-Frame-Options", v => v == "DENY"),
            ("Referrer-Policy", v => v == "no-referrer"),
            ("Cross-Origin-Opener-Policy", v => v == "same-origin"),
        };
        if (!isStatic)
        {
            expected.Add(("Cache-Control", v => v?.Contains("no-store", StringComparison.Ordinal) == true));
        }

        return [.. expected.Where(e => !e.Ok(Header(e.Name))).Select(e => $"{e.Name}: {Header(e.Name) ?? "(none)"}")];
    }
}
