using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace KetaCare.Web.Tests.BrowserTests;

/// <summary>Importing a patient from a FHIR bundle in a real browser, on a tablet in Turkish: upload, the plan, confirm.</summary>
[Trait("Kind", "Browser")]
public sealed partial class FhirImportBrowserTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    [Fact]
    public async Task Import_TabletInTurkish_PlanFitsTheScreenAndConfirmOpensTheChartWithWeightsAndVitalSignsAsHistory()
    {
        var bundle = Path.Combine(Path.GetTempPath(), "ketacare-import-" + Guid.NewGuid().ToString("N") + ".json");
        await File.WriteAllTextAsync(bundle, File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "synthea-transaction.json"))
            .Replace("SYN-4417", "BROWSER-IMP-1", StringComparison.Ordinal)
            .Replace("\"Brandt\"", "\"Brandtbrowser\"", StringComparison.Ordinal));
        try
        {
            var page = await app.RolePageAsync(KetaCare.Clinic.Users.ClinicRoles.Nurse, "tr-TR", BrowserApp.TabletWidth);
            await page.GotoAsync("/Patients");
            await page.GetByTestId("import-patient-link").ClickAsync();
            await page.GetByTestId("import-file").SetInputFilesAsync(bundle);
            await page.GetByTestId("import-preview").ClickAsync();

            await Assertions.Expect(page.GetByTestId("import-entry")).ToHaveCountAsync(14);
            await Assertions.Expect(page.GetByTestId("import-counts")).ToHaveTextAsync("9 içe aktarılacak, 5 atlandı, 0 reddedildi.");
            var width = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
            Assert.True(width <= BrowserApp.TabletWidth, $"the import plan is {width} px wide on a {BrowserApp.TabletWidth} px tablet");

            await page.GetByTestId("import-confirm").ClickAsync();

            await Assertions.Expect(page).ToHaveURLAsync(ChartUrl());
            await Assertions.Expect(page.GetByTestId("weight-imported")).ToHaveCountAsync(2);
            // The hospital's blood pressure and heart rate are on the chart as imported history, and the chart still fits.
            await Assertions.Expect(page.GetByTestId("imported-vital-row")).ToHaveCountAsync(2);
            var chartWidth = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
            Assert.True(chartWidth <= BrowserApp.TabletWidth, $"the chart is {chartWidth} px wide on a {BrowserApp.TabletWidth} px tablet");
        }
        finally
        {
            File.Delete(bundle);
        }
    }

    [GeneratedRegex("/Patients/[0-9a-f-]{36}$")]
    private static partial Regex ChartUrl();
}
