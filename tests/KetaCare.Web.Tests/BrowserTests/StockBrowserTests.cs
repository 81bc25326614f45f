using KetaCare.Clinic.Services;
using KetaCare.Clinic.Users;
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
        await page.GetByTestId("stock-nav").GetByRole(AriaRole.Link, new() { Name = "Receive" }).ClickAsync();

        await page.GetByTestId("product-name").FillAsync("Ketamine 10 mg/mL 5 mL " + lot);
        await page.GetByTestId("product-strength").FillAsync("10");
        await page.GetByTestId("product-vial").FillAsync("5");
        await page.GetByTestId("product-save").ClickAsync();
        if (!await page.GetByTestId("location-name").IsVisibleAsync())
        {
            await page.GetByTestId("stock-setup").Locator("summary").ClickAsync();
        }

        await page.GetByTestId("location-name").FillAsync("Cabinet " + lot);
        await page.GetByTestId("location-kind").SelectOptionAsync("Cabinet");
        await page.GetByTestId("location-save").ClickAsync();

        await page.GetByTestId("receive-product").SelectOptionAsync(new SelectOptionValue { Label = "Ketamine 10 mg/mL 5 mL " + lot });
        await page.GetByTestId("receive-location").SelectOptionAsync(new SelectOptionValue { Label = "Cabinet " + lot });
        await page.GetByTestId("receive-lot").FillAsync(lot);
        await page.GetByTestId("receive-expiry").FillAsync("2099-06-30");
        await page.GetByTestId("receive-vials").FillAsync("4");
        await page.GetByTestId("receive-supplier").FillAsync("Wholesaler");
        await page.GetByTestId("receive-reference").FillAsync("INV-" + lot);
        await page.GetByTestId("receive-witness").SelectOptionAsync(witness);
        await page.GetByTestId("receive-save").ClickAsync();
        await Assertions.Expect(page.GetByTestId("stock-balance").Filter(new() { HasText = lot })).ToContainTextAsync("20 mL");

        await page.GetByTestId("stock-nav").GetByRole(AriaRole.Link, new() { Name = "Count" }).ClickAsync();
        var lotId = await page.GetByTestId("count-lot").Locator("option", new() { HasText = lot }).GetAttributeAsync("value");
        await page.GetByTestId("count-lot").SelectOptionAsync(lotId!);
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
        await Assertions.Expect(discrepancy.GetByTestId("discrepancy-status")).ToHaveTextAsync("resolved");

        await page.GetByTestId("stock-nav").GetByRole(AriaRole.Link, new() { Name = "Stock" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("stock-balance").Filter(new() { HasText = lot })).ToContainTextAsync("15 mL");
        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByTestId("stock-csv-ledger").ClickAsync());
        var ledger = await File.ReadAllTextAsync(await download.PathAsync());
        var day = ledger.Split("\r\n").Where(l => l.Contains(lot, StringComparison.Ordinal)).ToList();
        Assert.Equal(3, day.Count);
        Assert.Contains(day, l => l.Contains(",receipt,", StringComparison.Ordinal) && l.Contains(",20,", StringComparison.Ordinal));
        Assert.Contains(day, l => l.Contains(",count,", StringComparison.Ordinal) && l.Contains(",15,", StringComparison.Ordinal));
        Assert.Contains(day, l => l.Contains(",adjustment,", StringComparison.Ordinal) && l.Contains(",-5,", StringComparison.Ordinal));
    }
}
