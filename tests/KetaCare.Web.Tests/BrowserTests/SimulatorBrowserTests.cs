using Microsoft.Playwright;
using static KetaCare.Web.Tests.BrowserTests.BrowserSteps;

namespace KetaCare.Web.Tests.BrowserTests;

/// <summary>The simulator's background population runs in a real browser: progress, the bands, cancelling, under the CSP.</summary>
[Trait("Kind", "Browser")]
public sealed class SimulatorBrowserTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    private const string Population = "/Simulator?model=domino1984&weight=70&age=40&hours=24&mode=regimen&doses%5B0%5D.unit=mg%2Fkg&doses%5B0%5D.over=60&doses%5B0%5D.at=0&doses%5B0%5D.amount=0.5&pop=true&n=100000&weightsd=10&iiv=30&band=90";

    [Fact]
    public async Task Population_100000Patients_ShowsProgressThenTheBandsWithNoConsoleOrCspErrors()
    {
        var page = await app.NewPageAsync();
        var problems = new List<string>();
        CollectConsoleProblems(page, problems);
        await BrowserApp.SignInAsync(page, "physician");

        await page.GotoAsync(Population + "&seed=101");

        await Assertions.Expect(page.GetByTestId("sim-pop-progress")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("sim-pop-status")).ToContainTextAsync("% done");
        var chart = page.GetByTestId("sim-chart-population");
        await Assertions.Expect(chart).ToBeVisibleAsync(new() { Timeout = 60_000 });
        Assert.True(await ImageWidthAsync(chart) > 0, "the population chart did not load");
        await Assertions.Expect(page.GetByTestId("sim-pop-title")).ToContainTextAsync("100000 virtual patients");
        await Assertions.Expect(page.GetByTestId("sim-pop-running")).ToBeHiddenAsync();
        Assert.Empty(problems);
    }

    [Fact]
    public async Task Population_CancelWhileRunning_SaysCancelledAndDrawsNoBands()
    {
        var page = await app.NewPageAsync();
        await BrowserApp.SignInAsync(page, "nurse");
        // Hold the script's first poll back so that the cancel lands while the run is still going.
        await page.RouteAsync("**/Simulator?handler=Population*", async route =>
        {
            await Task.Delay(3000);
            await route.ContinueAsync();
        });

        await page.GotoAsync(Population + "&seed=102");
        await page.GetByTestId("sim-pop-cancel").ClickAsync();

        await Assertions.Expect(page.GetByTestId("sim-pop-status")).ToContainTextAsync("cancelled");
        await Assertions.Expect(page.GetByTestId("sim-pop-progress")).ToBeHiddenAsync();
        await Assertions.Expect(page.GetByTestId("sim-chart-population")).ToHaveCountAsync(0);
    }
}
