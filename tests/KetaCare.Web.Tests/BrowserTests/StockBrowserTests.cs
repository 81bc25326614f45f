using System.Globalization;
using KetaCare.Clinic.Services;
using KetaCare.Clinic.Users;
using KetaCare.Web.Infrastructure;
using KetaCare.Web.Pages.Sessions;
using KetaCare.Web.Tests.Sessions;
using Microsoft.Playwright;

namespace KetaCare.Web.Tests.BrowserTests;

/// <summary>
/// The register's day in a real browser on a tablet: a lot received with a witness, the evening count one vial short,
/// the discrepancy investigated and resolved with an adjustment, and the ledger downloaded listing the day.
/// </summary>
[Trait("Kind", "Browser")]
public sealed class StockBrowserTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    [Fact]
    public async Task StockDay_Tablet_ReceiveCountResolveAndDownloadTheLedger()
    {
        var page = await app.RolePageAsync(ClinicRoles.Nurse, "en-GB", BrowserApp.TabletWidth);
        var witness = DemoSeed.DemoSecondNurse.Value.ToString();
        var lot = "BR-" + Guid.NewGuid().ToString("N")[..6];
        await page.GotoAsync("/");
        await page.GetByTestId("nav-stock").ClickAsync();
        await ReceiveAsync(page, lot, "10", "5", "4", witness);
        await Assertions.Expect(page.GetByTestId("stock-balance").Filter(new() { HasText = lot })).ToContainTextAsync("20 mL");

        await page.GetByTestId("stock-nav").GetByRole(AriaRole.Link, new() { Name = "Count" }).ClickAsync();
        await PickLotAsync(page, "count-lot", lot);
        await page.GetByTestId("count-location").SelectOptionAsync(new SelectOptionValue { Label = "Cabinet " + lot });
        await page.GetByTestId("count-counted").FillAsync("15");
        await page.GetByTestId("count-witness").SelectOptionAsync(witness);
        await page.GetByTestId("count-save").ClickAsync();
        await Assertions.Expect(page.GetByTestId("count-discrepancy")).ToContainTextAsync("expected 20 mL, counted 15 mL");
        var width = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
        Assert.True(width <= BrowserApp.TabletWidth, $"the count page is {width} px wide on a {BrowserApp.TabletWidth} px tablet");

        await page.GetByTestId("count-discrepancy").GetByRole(AriaRole.Link).ClickAsync();
        var discrepancy = page.GetByTestId("discrepancy").Filter(new() { HasText = lot });
        await discrepancy.GetByTestId("investigate-note").FillAsync("vial found broken in the cabinet");
        await discrepancy.GetByTestId("investigate-save").ClickAsync();
        await Assertions.Expect(discrepancy.GetByTestId("discrepancy-status")).ToHaveTextAsync("investigating");
        await discrepancy.GetByTestId("resolve-text").FillAsync("broken vial; loss recorded");
        await discrepancy.GetByTestId("resolve-adjust").CheckAsync();
        await discrepancy.Locator("select[name=Witness]").SelectOptionAsync(witness);
        await discrepancy.GetByTestId("resolve-save").ClickAsync();
        await Assertions.Expect(discrepancy.GetByTestId("discrepancy-status")).ToHaveTextAsync("closed");

        await page.GetByTestId("stock-nav").GetByRole(AriaRole.Link, new() { Name = "Stock" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("stock-balance").Filter(new() { HasText = lot })).ToContainTextAsync("15 mL");
        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByTestId("stock-csv-ledger").ClickAsync());
        var ledger = await File.ReadAllTextAsync(await download.PathAsync());
        var day = ledger.Split("\r\n").Where(l => l.Contains(lot, StringComparison.Ordinal)).ToList();
        Assert.Equal(3, day.Count);
        Assert.Contains(day, l => l.Contains(",receipt,", StringComparison.Ordinal) && l.Contains(",20,", StringComparison.Ordinal));
        Assert.Contains(day, l => l.Contains(",two-person count,", StringComparison.Ordinal) && l.Contains(",15,", StringComparison.Ordinal));
        Assert.Contains(day, l => l.Contains(",adjustment,", StringComparison.Ordinal) && l.Contains(",-5,", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SessionCustody_Tablet_DrawPrepareRunWasteAndTheDispensingRegisterListsTheSession()
    {
        var nurse = await app.RolePageAsync(ClinicRoles.Nurse, "en-GB", BrowserApp.TabletWidth);
        var nurse2 = await app.NewPageAsync("en-GB", BrowserApp.TabletWidth);
        await BrowserApp.SignInAsync(nurse2, "nurse2");
        var witness = DemoSeed.DemoSecondNurse.Value.ToString();
        var lot = "BS-" + Guid.NewGuid().ToString("N")[..6];
        await nurse.GotoAsync("/Stock");
        await ReceiveAsync(nurse, lot, "50", "10", "3", witness);

        // The session is pre-assessed, programmed and checked by a second nurse.
        var id = await SessionPages.NewTodaySessionAsync(app.Factory);
        var session = SessionPages.Url(id);
        var badge = nurse.Locator("#state-badge");
        await nurse.GotoAsync(session);
        await CourseBrowserTests.VitalsAsync(nurse.Locator("#form-preassess"), hr: "76", sbp: "128", dbp: "78", pain: "7");
        await CourseBrowserTests.ChecklistAsync(nurse.Locator("#form-preassess"), app.Factory);
        await nurse.Locator("#btn-preassess").ClickAsync();
        await Assertions.Expect(badge).ToHaveAttributeAsync("data-state", "PreAssessment");
        await nurse.Locator("#btn-program").ClickAsync();
        await Assertions.Expect(nurse.GetByTestId("program-check")).ToHaveAttributeAsync("data-checked", "false");
        var program = (await BrowserSteps.StoredSessionAsync(app, id)).Program!;
        await nurse2.GotoAsync(session);
        await nurse2.GetByTestId("check-rate").FillAsync(WebNumber.Show(program.RateMlPerHour));
        await nurse2.GetByTestId("check-vtbi").FillAsync(WebNumber.Show(program.VtbiMl));
        await nurse2.GetByTestId("check-concentration").FillAsync(WebNumber.Show(program.Preparation.Concentration.MilligramsPerMilliliter));
        await nurse2.GetByTestId("check-weight").FillAsync(WebNumber.Show(program.Weight.Kilograms));
        await nurse2.Locator("#btn-check").ClickAsync();
        await Assertions.Expect(nurse2.GetByTestId("program-check")).ToHaveAttributeAsync("data-checked", "true");

        // From the session screen to its custody: the drug drawn for the bag, and the bag checked by the second nurse.
        var c = program.Preparation.Concentration.MilligramsPerMilliliter;
        var bag = program.Preparation.ContainerVolume.Milliliters;
        await nurse.GotoAsync(session);
        await nurse.GetByTestId("session-custody").ClickAsync();
        await PickLotAsync(nurse, "draw-lot", lot);
        await nurse.GetByTestId("draw-location").SelectOptionAsync(new SelectOptionValue { Label = "Cabinet " + lot });
        await nurse.GetByTestId("draw-volume").FillAsync(WebNumber.Show(Math.Round(bag * c / 50, 2)));
        await nurse.GetByTestId("draw-witness").SelectOptionAsync(witness);
        await nurse.GetByTestId("draw-save").ClickAsync();
        await Assertions.Expect(nurse.GetByTestId("custody-drawn")).ToHaveTextAsync(WebNumber.Show(bag * c, "mg"));
        await nurse.GetByTestId("prepare-diluent").FillAsync("sodium chloride 0.9 %");
        await nurse.GetByTestId("prepare-volume").FillAsync(WebNumber.Show(bag));
        await Assertions.Expect(nurse.GetByTestId("prepare-concentration")).ToHaveValueAsync(WebNumber.Show(c));
        await nurse.GetByTestId("prepare-witness").SelectOptionAsync(witness);
        await nurse.GetByTestId("prepare-save").ClickAsync();
        await Assertions.Expect(nurse.GetByTestId("custody-prepared")).ToHaveTextAsync(WebNumber.Show(bag * c, "mg"));

        // The infusion runs and ends.
        var physician = await app.RolePageAsync(ClinicRoles.Physician, "en-GB", BrowserApp.TabletWidth);
        await physician.GotoAsync(session);
        if (await physician.Locator("#btn-start-override").CountAsync() > 0)
        {
            await physician.Locator("#override-reason").FillAsync("reviewed: tolerated the last dose well");
            await physician.Locator("#btn-start-override").ClickAsync();
        }
        else
        {
            await nurse.GotoAsync(session);
            await nurse.Locator("#btn-start").ClickAsync();
        }

        await nurse.GotoAsync(session);
        await Assertions.Expect(badge).ToHaveAttributeAsync("data-state", "Running");
        await nurse.GetByTestId("complete-volume").FillAsync("1");
        await nurse.Locator("#btn-complete").ClickAsync();
        await Assertions.Expect(badge).ToHaveAttributeAsync("data-state", "Completed");

        // The remainder is shown computed; the volume the two nurses saw wasted is entered and witnessed.
        await nurse.GetByTestId("session-custody").ClickAsync();
        var remainder = double.Parse((await nurse.GetByTestId("custody-remainder").GetAttributeAsync("data-value"))!, CultureInfo.InvariantCulture);
        Assert.InRange(remainder, 0, bag);
        await nurse.GetByTestId("remainder-volume").FillAsync(WebNumber.Show(Math.Round(remainder, 2)));
        await nurse.GetByTestId("remainder-method").FillAsync("drug-waste container");
        await nurse.GetByTestId("remainder-witness").SelectOptionAsync(witness);
        await nurse.GetByTestId("remainder-save").ClickAsync();
        await Assertions.Expect(nurse.GetByTestId("custody-line")).ToHaveCountAsync(3);
        var width = await nurse.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
        Assert.True(width <= BrowserApp.TabletWidth, $"the custody page is {width} px wide on a {BrowserApp.TabletWidth} px tablet");

        await nurse.GetByTestId("stock-nav").GetByRole(AriaRole.Link, new() { Name = "Stock" }).ClickAsync();
        var download = await nurse.RunAndWaitForDownloadAsync(() => nurse.GetByTestId("stock-csv-dispensing").ClickAsync());
        var row = Assert.Single((await File.ReadAllTextAsync(await download.PathAsync())).Split("\r\n"), l => l.Contains(id.ToString(), StringComparison.Ordinal));
        Assert.Contains(lot, row, StringComparison.Ordinal);
        Assert.Contains(DemoToday.PatientRecordNumber, row, StringComparison.Ordinal);
    }

    // Adds a product and a location named after the lot, then receives the lot there with a witness.
    private static async Task ReceiveAsync(IPage page, string lot, string strength, string vial, string vials, string witness)
    {
        await page.GetByTestId("stock-nav").GetByRole(AriaRole.Link, new() { Name = "Receive" }).ClickAsync();

        await OpenSetupAsync(page);
        await page.GetByTestId("product-name").FillAsync(Product(lot, strength, vial));
        await page.GetByTestId("product-strength").FillAsync(strength);
        await page.GetByTestId("product-vial").FillAsync(vial);
        await page.GetByTestId("product-save").ClickAsync();
        await OpenSetupAsync(page);
        await page.GetByTestId("location-name").FillAsync("Cabinet " + lot);
        await page.GetByTestId("location-kind").SelectOptionAsync("Cabinet");
        await page.GetByTestId("location-save").ClickAsync();

        await page.GetByTestId("receive-product").SelectOptionAsync(new SelectOptionValue { Label = Product(lot, strength, vial) });
        await page.GetByTestId("receive-location").SelectOptionAsync(new SelectOptionValue { Label = "Cabinet " + lot });
        await page.GetByTestId("receive-lot").FillAsync(lot);
        await page.GetByTestId("receive-expiry").FillAsync("2099-06-30");
        await page.GetByTestId("receive-vials").FillAsync(vials);
        await page.GetByTestId("receive-supplier").FillAsync("Wholesaler");
        await page.GetByTestId("receive-reference").FillAsync("INV-" + lot);
        await page.GetByTestId("receive-witness").SelectOptionAsync(witness);
        await page.GetByTestId("receive-save").ClickAsync();
    }

    // The product and location forms fold away once the register has both.
    private static async Task OpenSetupAsync(IPage page)
    {
        if (!await page.GetByTestId("product-name").IsVisibleAsync())
        {
            await page.GetByTestId("stock-setup").Locator("summary").ClickAsync();
        }
    }

    private static string Product(string lot, string strength, string vial) => $"Ketamine {strength} mg/mL {vial} mL {lot}";

    private static async Task PickLotAsync(IPage page, string select, string lot)
    {
        var id = await page.GetByTestId(select).Locator("option", new() { HasText = lot }).GetAttributeAsync("value");
        await page.GetByTestId(select).SelectOptionAsync(id!);
    }
}
