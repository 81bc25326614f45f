using System.Globalization;
using Microsoft.AspNetCore.Localization;
using Microsoft.AspNetCore.Mvc;

namespace KetaCare.Web.Infrastructure;

/// <summary>The UI languages and the language switch.</summary>
public static class UiCultures
{
    /// <summary>Supported cultures: English and Turkish.</summary>
    public static string[] Names { get; } = ["en", "tr"];

    /// <summary>The cookie that keeps the choice.</summary>
    public const string CookieName = "ketacare.lang";

    /// <summary>POST /culture: stores the language in a cookie and returns to the (local) page the user was on.</summary>
    internal static IResult Switch([FromForm] string culture, [FromForm] string? returnUrl, HttpContext context, TimeProvider clock)
    {
        var name = Names.Contains(culture, StringComparer.Ordinal) ? culture : "en";
        context.Response.Cookies.Append(
            CookieName,
            CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(name)),
            new CookieOptions { Expires = clock.GetUtcNow().AddYears(1), HttpOnly = true, SameSite = SameSiteMode.Strict, IsEssential = true, Secure = context.Request.IsHttps });
        return Results.LocalRedirect(IsLocalPath(returnUrl) ? returnUrl! : "/");
    }

    /// <summary>
    /// True for a path on this site: starts with one slash, not "//" or "/\\" (another host), and holds no control
    /// character (a tab or line break makes the framework's own check throw rather than refuse).
    /// </summary>
    internal static bool IsLocalPath(string? url) =>
        !string.IsNullOrEmpty(url) && url.Length <= 2048 && url.StartsWith('/')
        && !url.StartsWith("//", StringComparison.Ordinal) && !url.StartsWith("/\\", StringComparison.Ordinal)
        && !url.Any(c => char.IsControl(c) || c == '\\');

    /// <summary>True when the current culture writes decimals with a comma (Turkish, German…).</summary>
    public static bool CommaDecimal => CultureInfo.CurrentCulture.NumberFormat.NumberDecimalSeparator == ",";
}
