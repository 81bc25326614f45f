using KetaCare.Clinic.Persistence;
using KetaCare.Clinic.Services;
using KetaCare.Web.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static KetaCare.Web.Tests.BrowserTests.BrowserSteps;

namespace KetaCare.Web.Tests.BrowserTests;

/// <summary>
/// The clinic analytics and the individualised proposal in a real browser, on the demo data with a small synthetic
/// cohort: a physician filters, sees the charts load, identifies the courses with a reason and downloads them as CSV,
/// and takes the individualised rate on a plan; and on a demo clinic whose cohort the app writes itself after its
/// start, as the default demo does.
/// </summary>
[Trait("Kind", "Browser")]
public sealed class AnalyticsBrowserTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    [Fact]
    public async Task Analytics_PhysicianFiltersIdentifiesWithAReasonDownloadsAndTakesTheIndividualisedRate_AtTabletWidth()
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

        // The identified view of the same filter, with a reason: record numbers and names in the table and the CSV,
        // charts unchanged; the next view is de-identified again.
        var courses = await page.GetByTestId("analytics-courses").InnerTextAsync();
        await page.GetByTestId("analytics-identify").Locator("summary").ClickAsync();
        await page.GetByTestId("analytics-reason").FillAsync("call back the patients who relapsed");
        await page.GetByTestId("analytics-identify-submit").ClickAsync();
        await Assertions.Expect(page.GetByTestId("analytics-mode")).ToContainTextAsync("Identified view");
        await Assertions.Expect(page.GetByTestId("analytics-courses")).ToHaveTextAsync(courses);
        await Assertions.Expect(page.GetByTestId("analytics-courses-table").Locator("tbody tr")).ToHaveCountAsync(int.Parse(courses, System.Globalization.CultureInfo.InvariantCulture));
        await Assertions.Expect(page.GetByTestId("analytics-courses-table")).ToContainTextAsync("SYN-");
        await page.WaitForFunctionAsync("() => { const i = document.querySelector('[data-testid=analytics-exposure-chart]'); return i.complete && i.naturalWidth > 0; }");
        Assert.DoesNotContain("SYN", await page.GetByTestId("analytics-exposure-chart").GetAttributeAsync("src") ?? string.Empty, StringComparison.Ordinal);
        Assert.True(await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth") <= BrowserApp.TabletWidth);
        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByTestId("analytics-csv").ClickAsync());
        var rows = (await File.ReadAllTextAsync(await download.PathAsync())).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("course,medical_record_number,family_name,given_name,sex,", rows[0].TrimStart('\uFEFF'), StringComparison.Ordinal);
        Assert.Equal(int.Parse(courses, System.Globalization.CultureInfo.InvariantCulture), rows.Length - 1);
        Assert.All(rows.Skip(1), r => Assert.Matches("^C-[0-9]{4},(SYN|DEMO)-[0-9]{4},[^,]+,[^,]+,Female,", r));
        await page.GetByTestId("nav-analytics").ClickAsync();
        await Assertions.Expect(page.GetByTestId("analytics-mode")).ToContainTextAsync("De-identified");
        await Assertions.Expect(page.GetByTestId("analytics-courses-table")).ToHaveCountAsync(0);

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

    [Fact]
    public async Task Analytics_DemoClinicWritingItsCohort_SaysSoThenShowsEveryCourseAndASyntheticPatientsProposal()
    {
        const int Cohort = 24;
        using var clinic = new WebAppFactory(new Dictionary<string, string?> { ["KetaCare:DemoCohort"] = Cohort.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        var context = await app.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = clinic.StartKestrel().ToString(), Locale = "en-GB", ViewportSize = new ViewportSize { Width = BrowserApp.TabletWidth, Height = 900 } });
        context.SetDefaultTimeout(45_000);
        var page = await context.NewPageAsync();
        var problems = new List<string>();
        CollectConsoleProblems(page, problems);
        var status = clinic.Services.GetRequiredService<DemoCohortStatus>();
        await BrowserApp.SignInAsync(page, "physician");

        // While the cohort is written the page says so; the status only goes from writing to written, so a page
        // rendered before a status still writing afterwards has the notice.
        await page.GotoAsync("/Analytics");
        var noticeShown = await page.GetByTestId("analytics-cohort-writing").IsVisibleAsync();
        if (status.Writing)
        {
            Assert.True(noticeShown);
        }

        var waiting = System.Diagnostics.Stopwatch.StartNew();
        while (status.Writing && waiting.Elapsed < TimeSpan.FromMinutes(3))
        {
            await Task.Delay(250, TestContext.Current.CancellationToken);
        }

        Assert.False(status.Writing, "the cohort was not written within 3 minutes");
        Assert.Equal(Cohort, status.Written);
        await page.ReloadAsync();
        await Assertions.Expect(page.GetByTestId("analytics-cohort-writing")).ToHaveCountAsync(0);

        // The three demo patients' courses (two treated) and one course per synthetic patient.
        await Assertions.Expect(page.GetByTestId("analytics-courses")).ToHaveTextAsync((Cohort + 2).ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Assertions.Expect(page.GetByTestId("analytics-by-protocol").Locator("tbody tr").First).ToBeVisibleAsync();
        await page.WaitForFunctionAsync("() => { const i = document.querySelector('[data-testid=analytics-exposure-chart]'); return i.complete && i.naturalWidth > 0; }");

        Guid plan;
        await using (var db = clinic.Services.GetRequiredService<ClinicDatabase>().Open(DemoSeed.SeedUser))
        {
            var patient = db.Patients.Single(p => p.MedicalRecordNumber == "SYN-0002").Id;
            plan = db.Plans.Single(p => p.PatientId == patient).Id.Value;
            Assert.Equal(db.Sessions.Count(s => s.PatientId == patient), db.SessionExposures.Count(e => e.PatientId == patient));
        }

        await page.GotoAsync($"/Plans/{plan}");
        await Assertions.Expect(page.GetByTestId("individual-ec50")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("individual-use")).ToBeVisibleAsync();
        Assert.True(problems.Count == 0, string.Join("\n", problems));
        await context.CloseAsync();
    }
}
