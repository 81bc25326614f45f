using KetaCare.Web.Tests.Sessions;
using Microsoft.Playwright;

namespace KetaCare.Web.Tests.BrowserTests;

/// <summary>Keyboard use on the session screen and labelled form fields, in a real browser.</summary>
[Trait("Kind", "Browser")]
public sealed class AccessibilityBrowserTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    [Fact]
    public async Task SessionScreen_AltV_FocusesHeartRate()
    {
        var id = await SessionPages.NewTodaySessionAsync(app.Factory);
        var page = await app.NewPageAsync();
        await BrowserApp.SignInAsync(page, "nurse");
        await page.GotoAsync(SessionPages.Url(id));
        await page.Locator("#obs-note").FocusAsync();
        await Assertions.Expect(page.Locator("#obs-hr")).Not.ToBeFocusedAsync();

        await page.Keyboard.PressAsync("Alt+v");

        await Assertions.Expect(page.Locator("#obs-hr")).ToBeFocusedAsync();
    }

    [Theory]
    [InlineData("/Patients/New")]
    [InlineData("/Patients/{demo}/Record")]
    public async Task PatientForms_EveryField_HasALabel(string path)
    {
        var page = await app.NewPageAsync();
        await BrowserApp.SignInAsync(page, "nurse");
        if (path.Contains("{demo}", StringComparison.Ordinal))
        {
            await page.GotoAsync("/Patients?q=DEMO-0002");
            path = path.Replace("{demo}", (await page.Locator("[data-testid=patient-row][data-mrn=DEMO-0002] a").GetAttributeAsync("href"))!["/Patients/".Length..], StringComparison.Ordinal);
        }

        await page.GotoAsync(path);
        var fields = page.Locator("main input:not([type=hidden]), main select, main textarea");
        var count = await fields.CountAsync();
        Assert.True(count > 0, "no fields on " + path);
        var unlabelled = new List<string>();
        foreach (var field in await fields.AllAsync())
        {
            var name = await field.EvaluateAsync<string>("e => e.name || e.id");
            if (await field.EvaluateAsync<int>("e => e.labels.length") == 0)
            {
                unlabelled.Add(name);
            }
        }

        Assert.Empty(unlabelled);
    }
}
