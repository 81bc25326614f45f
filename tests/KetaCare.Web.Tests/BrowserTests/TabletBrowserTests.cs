using KetaCare.Clinic.Users;
using KetaCare.Web.Tests.Matrix;

namespace KetaCare.Web.Tests.BrowserTests;

/// <summary>
/// A tablet in portrait (800 px wide): every page each role may open, from the authorisation matrix, fits the width
/// without horizontal scrolling, in English and in Turkish (longer words).
/// </summary>
[Trait("Kind", "Browser")]
public sealed class TabletBrowserTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    [Theory]
    [InlineData("en-GB")]
    [InlineData("tr-TR")]
    public async Task EveryPage_At800PixelsWide_NeedsNoHorizontalScrolling(string locale)
    {
        var ids = await DemoIds.LoadAsync(app.Factory);
        var tooWide = new List<string>();
        foreach (var role in ClinicRoles.Stored)
        {
            var page = await app.RolePageAsync(role, locale, BrowserApp.TabletWidth);
            foreach (var path in Pages(role))
            {
                await page.GotoAsync(DemoIds.Resolve(ids, path));
                var width = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
                if (width > BrowserApp.TabletWidth)
                {
                    var culprit = await page.EvaluateAsync<string>(Culprit);
                    tooWide.Add($"{role} {path}: {width} px ({culprit})");
                }
            }

            await page.Context.CloseAsync();
        }

        Assert.True(tooWide.Count == 0, $"{tooWide.Count} page(s) wider than {BrowserApp.TabletWidth} px:\n" + string.Join("\n", tooWide));
    }

    // The widest elements that reach past the viewport: what to fix.
    private const string Culprit = """
        () => [...document.querySelectorAll('main *')]
            .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
            .filter(e => ![...e.children].some(c => c.getBoundingClientRect().right > document.documentElement.clientWidth + 1))
            .slice(0, 3)
            .map(e => e.tagName.toLowerCase() + (e.className ? '.' + String(e.className).split(' ').join('.') : '') + ' ' + Math.round(e.getBoundingClientRect().right) + 'px')
            .join(', ')
        """;

    // The HTML pages of the matrix this role may open (no API, FHIR, downloads or chart images).
    internal static IEnumerable<string> Pages(string role) =>
        AuthorizationMatrixTests.AllCases()
            .Where(c => c.Method == "GET" && (c.Allowed.Length == 0 ? ClinicRoles.All.Contains(role) : c.Allowed.Contains(role)))
            .Select(c => c.Path)
            .Where(p => !p.StartsWith("/api/", StringComparison.Ordinal) && !p.StartsWith("/fhir", StringComparison.Ordinal)
                && !p.StartsWith("/exports/", StringComparison.Ordinal) && !p.StartsWith("/portal/", StringComparison.Ordinal) && !p.StartsWith("/openapi", StringComparison.Ordinal)
                && !p.Contains("handler=", StringComparison.Ordinal))
            .Distinct();
}
