using KetaCare.Clinic.Persistence;
using KetaCare.Clinic.Services;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static KetaCare.Web.Tests.BrowserTests.BrowserSteps;

namespace KetaCare.Web.Tests.BrowserTests;

/// <summary>
/// The clinic analytics and the individualised proposal in a real browser, on the demo data with a small synthetic
/// cohort: a physician filters, sees the charts load, and takes the individualised rate on a plan.
/// </summary>
[Trait("Kind", "Browser")]
public sealed class AnalyticsBrowserTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    [Fact]
    public async Task Analytics_PhysicianFiltersAndTakesTheIndividualisedRate_AtTabletWidth()
    {
        var database = app.Factory.Services.GetRequiredService<ClinicDatabase>();
        Assert.True((await DemoSeed.CohortAsync(database, TimeProvider.System, 8)).IsSuccess);
        var page = await app.NewPageAsync(width: BrowserApp.TabletWidth);
        var problems = new List<string>();
        CollectConsoleProblems(page, problems);
        await BrowserApp.SignInAsync(page, "physician");

        await page.GetByTestId("nav-analytics").ClickAsync();
        await page.GetByTestId("analytics-sex").SelectOptionAsync("Female");
        await page.GetByTestId("analytics-apply").ClickAsync();

        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("sex=Female"));
        await Assertions.Expect(page.GetByTestId("analytics-by-protocol")).ToBeVisibleAsync();
        foreach (var chart in new[] { "analytics-exposure-chart", "analytics-relapse-chart" })
        {
            await page.WaitForFunctionAsync($"() => {{ const i = document.querySelector('[data-testid={chart}]'); return i.complete && i.naturalWidth > 0; }}");
        }

        Assert.True(await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth") <= BrowserApp.TabletWidth);
        Assert.Equal("/exports/analytics.csv?sex=Female&axis=PlasmaAuc", await page.GetByTestId("analytics-csv").GetAttributeAsync("href"));

        Guid plan;
        await using (var db = database.Open(DemoSeed.SeedUser))
        {
            var patient = db.Patients.Single(p => p.MedicalRecordNumber == "SYN-0001").Id;
            plan = db.Plans.Single(p => p.PatientId == patient).Id.Value;
        }

        await page.GotoAsync($"/Plans/{plan}");
        await Assertions.Expect(page.GetByTestId("individual-ec50")).ToBeVisibleAsync();
        await page.GetByTestId("individual-data").Locator("summary").ClickAsync();
        await Assertions.Expect(page.GetByTestId("individual-data").Locator("tbody tr").First).ToBeVisibleAsync();
        await page.GetByTestId("individual-use").ClickAsync();

        await Assertions.Expect(page.GetByTestId("plan-history")).ToContainTextAsync("Individualised proposal: dissociation EC50");
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }
}
