using System.Globalization;
using KetaCare.Clinic.Services;
using KetaCare.Clinic.Users;
using KetaCare.Web.Infrastructure;
using KetaCare.Web.Pages.Sessions;
using KetaCare.Web.Tests.Sessions;
using Microsoft.Playwright;

namespace KetaCare.Web.Tests.BrowserTests;

/// <summary>
/// A whole clinic day of the controlled-substance register in a real browser on a tablet: the stock keeper receives a
/// lot with a nurse as witness; a session cannot start before its bag is recorded, so the nurse draws the drug, prepares
/// the bag checked by a second nurse and prints its label; the infusion runs and ends; the computed remainder is wasted
/// before a witness; the evening count finds the cabinet short, the discrepancy is investigated and resolved with an
/// adjustment; and the registers are downloaded (dispensing as CSV and PDF, the ledger) and read.
/// </summary>
[Trait("Kind", "Browser")]
public sealed class StockBrowserTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    [Fact]
    public async Task ClinicDay_Tablet_ReceivePrepareInfuseWasteCountResolveAndPrintTheRegister()
    {
        var keeper = await app.RolePageAsync(ClinicRoles.StockKeeper, "en-GB", BrowserApp.TabletWidth);
        var nurse = await app.RolePageAsync(ClinicRoles.Nurse, "en-GB", BrowserApp.TabletWidth);
        var nurse2 = await app.NewPageAsync("en-GB", BrowserApp.TabletWidth);
        await BrowserApp.SignInAsync(nurse2, "nurse2");
        var nurseId = DemoSeed.DemoNurse.Value.ToString();
        var witness = DemoSeed.DemoSecondNurse.Value.ToString();
        var lot = "BD-" + Guid.NewGuid().ToString("N")[..6];

        // Morning: the stock keeper receives three vials, a nurse witnessing.
        await keeper.GotoAsync("/");
        await keeper.GetByTestId("nav-stock").ClickAsync();
        await ReceiveAsync(keeper, lot, "50", "10", "3", nurseId);
        await Assertions.Expect(keeper.GetByTestId("stock-balance").Filter(new() { HasText = lot })).ToContainTextAsync("30 mL");

        // The session is pre-assessed, programmed and checked by a second nurse; without a recorded bag it cannot start.
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
        await nurse.GotoAsync(session);
        await Assertions.Expect(nurse.Locator("[data-testid=start-findings] li[data-code='stock.preparation-required']")).ToHaveCountAsync(1);
        await Assertions.Expect(nurse.Locator("#btn-start")).ToHaveCountAsync(0);

        // From the session screen to its custody: the drug drawn for the bag, and the bag checked by the second nurse.
        var c = program.Preparation.Concentration.MilligramsPerMilliliter;
        var bag = program.Preparation.ContainerVolume.Milliliters;
        var drawn = Math.Round(bag * c / 50, 2);
        await nurse.GetByTestId("session-custody").ClickAsync();
        await PickLotAsync(nurse, "draw-lot", lot);
        await nurse.GetByTestId("draw-location").SelectOptionAsync(new SelectOptionValue { Label = "Cabinet " + lot });
        await nurse.GetByTestId("draw-volume").FillAsync(WebNumber.Show(drawn));
        await nurse.GetByTestId("draw-witness").SelectOptionAsync(witness);
        await nurse.GetByTestId("draw-save").ClickAsync();
        await Assertions.Expect(nurse.GetByTestId("custody-drawn")).ToHaveTextAsync(WebNumber.Show(bag * c, "mg"));
        await nurse.GetByTestId("prepare-diluent").FillAsync("sodium chloride 0.9 %");
        await nurse.GetByTestId("prepare-volume").FillAsync(WebNumber.Show(bag));
        await Assertions.Expect(nurse.GetByTestId("prepare-concentration")).ToHaveValueAsync(WebNumber.Show(c));
        await nurse.GetByTestId("prepare-witness").SelectOptionAsync(witness);
        await nurse.GetByTestId("prepare-save").ClickAsync();
        await Assertions.Expect(nurse.GetByTestId("custody-prepared")).ToHaveTextAsync(WebNumber.Show(bag * c, "mg"));

        // The bag's label: the patient, the concentration, the lot and its expiry, printable on its own.
        await nurse.GetByTestId("custody-labels").ClickAsync();
        var label = nurse.GetByTestId("prep-label");
        await Assertions.Expect(label).ToHaveCountAsync(1);
        await Assertions.Expect(label.GetByTestId("label-patient")).ToContainTextAsync(DemoToday.PatientRecordNumber);
        await Assertions.Expect(label.GetByTestId("label-concentration")).ToHaveTextAsync(WebNumber.Show(c, "mg/mL"));
        await Assertions.Expect(label.GetByTestId("label-lot")).ToContainTextAsync(lot);
        await Assertions.Expect(label.GetByTestId("label-lot")).ToContainTextAsync("2099-06-30");
        await nurse.EmulateMediaAsync(new() { Media = Media.Print });
        await Assertions.Expect(nurse.Locator("header.top")).ToBeHiddenAsync();
        await Assertions.Expect(label).ToBeVisibleAsync();
        await nurse.EmulateMediaAsync(new() { Media = Media.Screen });

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

        // Evening: the stock keeper counts the cabinet 5 mL short of the ledger; the discrepancy is investigated and
        // resolved with an adjustment, a nurse witnessing.
        var onHand = 30 - drawn;
        await keeper.GetByTestId("stock-nav").GetByRole(AriaRole.Link, new() { Name = "Count" }).ClickAsync();
        await PickLotAsync(keeper, "count-lot", lot);
        await keeper.GetByTestId("count-location").SelectOptionAsync(new SelectOptionValue { Label = "Cabinet " + lot });
        await keeper.GetByTestId("count-counted").FillAsync(WebNumber.Show(onHand - 5));
        await keeper.GetByTestId("count-witness").SelectOptionAsync(nurseId);
        await keeper.GetByTestId("count-save").ClickAsync();
        await Assertions.Expect(keeper.GetByTestId("count-discrepancy")).ToContainTextAsync($"expected {WebNumber.Show(onHand, "mL")}, counted {WebNumber.Show(onHand - 5, "mL")}");
        width = await keeper.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
        Assert.True(width <= BrowserApp.TabletWidth, $"the count page is {width} px wide on a {BrowserApp.TabletWidth} px tablet");
        await keeper.GetByTestId("count-discrepancy").GetByRole(AriaRole.Link).ClickAsync();
        var discrepancy = keeper.GetByTestId("discrepancy").Filter(new() { HasText = lot });
        await discrepancy.GetByTestId("investigate-note").FillAsync("vial found broken in the cabinet");
        await discrepancy.GetByTestId("investigate-save").ClickAsync();
        await Assertions.Expect(discrepancy.GetByTestId("discrepancy-status")).ToHaveTextAsync("investigating");
        await discrepancy.GetByTestId("resolve-text").FillAsync("broken vial; loss recorded");
        await discrepancy.GetByTestId("resolve-adjust").CheckAsync();
        await discrepancy.Locator("select[name=Witness]").SelectOptionAsync(nurseId);
        await discrepancy.GetByTestId("resolve-save").ClickAsync();
        await Assertions.Expect(discrepancy.GetByTestId("discrepancy-status")).ToHaveTextAsync("closed");
        await keeper.GetByTestId("stock-nav").GetByRole(AriaRole.Link, new() { Name = "Stock" }).ClickAsync();
        await Assertions.Expect(keeper.GetByTestId("stock-balance").Filter(new() { HasText = lot })).ToContainTextAsync(WebNumber.Show(onHand - 5, "mL"));

        // The registers printed (downloaded) and read: the dispensing register names the session, its patient and lot,
        // as CSV and as PDF; the ledger holds the day's six lines of the lot in the order written.
        var download = await keeper.RunAndWaitForDownloadAsync(() => keeper.GetByTestId("stock-csv-dispensing").ClickAsync());
        var row = Assert.Single((await File.ReadAllTextAsync(await download.PathAsync())).Split("\r\n"), l => l.Contains(id.ToString(), StringComparison.Ordinal));
        Assert.Contains(lot, row, StringComparison.Ordinal);
        Assert.Contains(DemoToday.PatientRecordNumber, row, StringComparison.Ordinal);
        download = await keeper.RunAndWaitForDownloadAsync(() => keeper.GetByTestId("stock-pdf-dispensing").ClickAsync());
        using (var pdf = UglyToad.PdfPig.PdfDocument.Open(await File.ReadAllBytesAsync(await download.PathAsync())))
        {
            var text = string.Concat(pdf.GetPages().SelectMany(p => p.Letters).Select(l => l.Value).Where(v => !string.IsNullOrWhiteSpace(v)));
            Assert.Contains(lot, text, StringComparison.Ordinal);
            Assert.Contains(id.ToString(), text, StringComparison.Ordinal);
        }

        download = await keeper.RunAndWaitForDownloadAsync(() => keeper.GetByTestId("stock-csv-ledger").ClickAsync());
        var day = (await File.ReadAllTextAsync(await download.PathAsync())).Split("\r\n").Where(l => l.Contains(lot, StringComparison.Ordinal)).ToList();
        Assert.Equal(["receipt", "draw for a session", "preparation of the infusion", "waste of the session's remainder", "two-person count", "adjustment"], day.Select(l => l.Split(',')[1]));
        Assert.Contains(",30,", day[0], StringComparison.Ordinal);
        Assert.Contains(",-5,", day[^1], StringComparison.Ordinal);
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
