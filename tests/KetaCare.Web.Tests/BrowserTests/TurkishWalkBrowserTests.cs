using System.Globalization;
using KetaCare.Clinic.Users;
using KetaCare.Web.Infrastructure;
using KetaCare.Web.Tests.Matrix;

namespace KetaCare.Web.Tests.BrowserTests;

/// <summary>
/// Every page each role may open, in Turkish: no English text of the app's catalogues is left on it (a sentence the
/// catalogue translates must not appear in English). Citations of published works are exempt: they keep their
/// language and are marked so.
/// </summary>
[Trait("Kind", "Browser")]
public sealed class TurkishWalkBrowserTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    [Fact]
    public async Task EveryPageOfEveryRole_InTurkish_ShowsNoEnglishTextOfTheApp()
    {
        var texts = new Texts();
        var turkish = new CultureInfo("tr-TR");
        // English texts that read differently in Turkish and are long enough not to be a code, unit or name.
        var english = texts.Translated
            .Where(en => en.Contains(' ', StringComparison.Ordinal) && en.Length >= 12 && !en.Contains('{', StringComparison.Ordinal))
            .Where(en => !string.Equals(Translate(texts, en, turkish), en, StringComparison.Ordinal))
            .ToList();
        var ids = await DemoIds.LoadAsync(app.Factory);
        var found = new List<string>();
        foreach (var role in ClinicRoles.All)
        {
            var page = await app.RolePageAsync(role, "tr-TR");
            foreach (var path in TabletBrowserTests.Pages(role))
            {
                await page.GotoAsync(DemoIds.Resolve(ids, path));
                // Citations keep the language they were published in and say so (lang="en"); everything else is checked.
                var text = await page.EvaluateAsync<string>("() => { const c = document.body.cloneNode(true); c.querySelectorAll('[lang=en]').forEach(e => e.remove()); return c.textContent; }");
                found.AddRange(english.Where(en => text.Contains(en, StringComparison.Ordinal)).Select(en => $"{role} {path}: \"{en}\""));
            }

            await page.Context.CloseAsync();
        }

        Assert.True(found.Count == 0, $"{found.Count} English text(s) on Turkish pages:\n" + string.Join("\n", found.Distinct().Take(60)));
    }

    private static string Translate(Texts texts, string english, CultureInfo culture)
    {
        var before = CultureInfo.CurrentUICulture;
        try
        {
            CultureInfo.CurrentUICulture = culture;
            return texts[english];
        }
        finally
        {
            CultureInfo.CurrentUICulture = before;
        }
    }
}
