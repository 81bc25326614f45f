using Microsoft.Playwright;
using static KetaCare.Web.Tests.BrowserTests.BrowserSteps;

namespace KetaCare.Web.Tests.BrowserTests;

/// <summary>
/// Full-page screenshots (1280 px wide) of the main pages not reached by the course test, into docs/screenshots;
/// each page is checked to be the real page with the demo data before it is photographed.
/// </summary>
[Trait("Kind", "Browser")]
public sealed class ScreenshotBrowserTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    [Fact]
    public async Task Dashboard_Nurse_ListsTodaysDemoSession()
    {
        var page = await SignedInAsync("nurse");
        await page.GotoAsync("/");
        await Assertions.Expect(page.GetByTestId("today-sessions").GetByTestId("today-session").First).ToContainTextAsync("DEMO-0001");
        await BrowserApp.ScreenshotAsync(page, "dashboard");
    }

    [Fact]
    public async Task PatientsAndChart_Search_FindsTheDemoPatientAndItsHistory()
    {
        var page = await SignedInAsync("physician");
        await page.GotoAsync("/Patients");
        await Assertions.Expect(page.GetByTestId("patient-row")).ToHaveCountAsync(3);
        await BrowserApp.ScreenshotAsync(page, "patients");

        await page.GetByTestId("patient-search").FillAsync("DEMO-0001");
        await page.GetByTestId("patient-search-button").ClickAsync();
        var row = page.Locator("[data-testid=patient-row][data-mrn=DEMO-0001]");
        await Assertions.Expect(page.GetByTestId("patient-row")).ToHaveCountAsync(1);
        await row.GetByRole(AriaRole.Link).ClickAsync();
        await page.WaitForURLAsync(ChartUrl());
        await Assertions.Expect(page.GetByTestId("chart-demographics")).ToContainTextAsync("Yılmaz");
        await Assertions.Expect(page.GetByTestId("chart-conditions").GetByTestId("condition-row")).ToContainTextAsync("G90.512");
        Assert.True(await page.GetByTestId("chart-sessions").GetByTestId("session-row").CountAsync() >= 2);
        await BrowserApp.ScreenshotAsync(page, "chart");
    }

    /// <summary>Pages of other features; a page not in this build is skipped, not photographed as an error page.</summary>
    [Theory]
    [InlineData("/Simulator", "physician", "simulator")]
    [InlineData("/Admin", "admin", "admin")]
    [InlineData("/Audit", "auditor", "audit")]
    public async Task FeaturePage_RoleThatMayUseIt_OpensAndIsPhotographed(string path, string user, string name)
    {
        var page = await SignedInAsync(user);
        var response = await page.GotoAsync(path);
        if (response is { Status: 404 })
        {
            Assert.Skip($"{path} is not in this build; no {name}.png.");
        }

        Assert.Equal(200, response!.Status);
        Assert.DoesNotContain("/Account/", page.Url, StringComparison.Ordinal);
        await Assertions.Expect(page.Locator("main h1")).ToBeVisibleAsync();
        foreach (var img in await page.Locator("main img").AllAsync())
        {
            Assert.True(await ImageWidthAsync(img) > 0, $"an image on {path} did not load");
        }

        await BrowserApp.ScreenshotAsync(page, name);
    }

    private async Task<IPage> SignedInAsync(string user)
    {
        var page = await app.NewPageAsync();
        await BrowserApp.SignInAsync(page, user);
        return page;
    }
}
