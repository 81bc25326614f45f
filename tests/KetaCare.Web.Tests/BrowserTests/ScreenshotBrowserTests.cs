using Microsoft.Playwright;
using static KetaCare.Web.Tests.BrowserTests.BrowserSteps;

namespace KetaCare.Web.Tests.BrowserTests;

/// <summary>
/// Full-page screenshots (1280 px wide, and 800 px for the bedside pages) of the main pages not reached by the course
/// test, into docs/screenshots; each page is checked to be the real page with the demo data before it is photographed.
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
        await BrowserApp.TabletScreenshotAsync(page, "dashboard");
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
        await ArrivesAtAsync(page, ChartUrl());
        await Assertions.Expect(page.GetByTestId("chart-demographics")).ToContainTextAsync("Yılmaz");
        await Assertions.Expect(page.GetByTestId("chart-conditions").GetByTestId("condition-row")).ToContainTextAsync("G90.512");
        Assert.True(await page.GetByTestId("chart-sessions").GetByTestId("session-row").CountAsync() >= 2);
        await BrowserApp.ScreenshotAsync(page, "chart");
        await BrowserApp.TabletScreenshotAsync(page, "chart");
    }

    [Fact]
    public async Task Simulator_DefaultRegimen_DrawsTheProfileAndItsFigures()
    {
        var page = await SignedInAsync("physician");
        await page.GotoAsync("/");
        await page.Locator("header nav a[href='/Simulator']").ClickAsync();
        await page.GetByTestId("sim-run").ClickAsync();
        await Assertions.Expect(page.GetByTestId("sim-result")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("sim-error")).ToHaveCountAsync(0);
        Assert.True(await ImageWidthAsync(page.GetByTestId("sim-chart-profile")) > 0, "the simulator chart did not load");
        await Assertions.Expect(page.GetByTestId("sim-metric-row").First).ToBeVisibleAsync();
        await BrowserApp.ScreenshotAsync(page, "simulator");
        await BrowserApp.TabletScreenshotAsync(page, "simulator");
    }

    [Fact]
    public async Task Admin_Users_ListsTheDemoAccounts()
    {
        var page = await SignedInAsync("admin");
        await page.GotoAsync("/Admin");
        await page.GetByTestId("admin-users-link").ClickAsync();
        foreach (var user in new[] { "physician", "nurse", "nurse2", "admin", "auditor" })
        {
            await Assertions.Expect(page.Locator($"[data-testid=user-row][data-user='{user}']")).ToHaveCountAsync(1);
        }

        await BrowserApp.ScreenshotAsync(page, "admin");
    }

    [Fact]
    public async Task Audit_Auditor_SeesTheDemoDataEvents()
    {
        var page = await SignedInAsync("auditor");
        await page.GotoAsync("/");
        await page.Locator("header nav a[href='/Audit']").ClickAsync();
        await page.GetByTestId("audit-patient").FillAsync("DEMO-0001");
        await page.GetByTestId("audit-search").ClickAsync();
        await Assertions.Expect(page.GetByTestId("audit-row").First).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("audit-row-patient").First).ToHaveTextAsync("DEMO-0001");
        await BrowserApp.ScreenshotAsync(page, "audit");
    }

    private async Task<IPage> SignedInAsync(string user)
    {
        var page = await app.NewPageAsync();
        await BrowserApp.SignInAsync(page, user);
        return page;
    }
}
